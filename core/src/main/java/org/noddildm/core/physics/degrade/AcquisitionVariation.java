package org.noddildm.core.physics.degrade;

import java.util.Locale;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;

/**
 * Random acquisitions for training, so that a model does not learn one way of making a
 * low-resolution scan: per subject either block averaging (what larger voxels integrate) or
 * k-space truncation (what a scanner's smaller matrix reconstructs, with Gibbs ringing), and
 * for k-space a raw-data apodisation and partial Fourier along a phase-encoding axis in the
 * axial plane ({@link KSpaceFilter}).
 *
 * @param kspaceShare probability of k-space truncation instead of block averaging (default 0.5)
 * @param filterShare probability that a k-space subject has an apodisation filter (default 0.5)
 * @param maxApodisation largest Tukey alpha drawn, uniformly from 0.2 up (default 1)
 * @param partialFourierShare probability that a k-space subject has partial Fourier (default
 *     0.5), then 7/8 or 6/8 of the lines with equal probability along voxel axis 0 or 1
 */
public record AcquisitionVariation(double kspaceShare, double filterShare,
    double maxApodisation, double partialFourierShare) {
  public AcquisitionVariation {
    for (double p : new double[] {kspaceShare, filterShare, partialFourierShare}) {
      BadArgumentException.require(p >= 0 && p <= 1,
          "acquisition variation: expected probabilities from 0 to 1, found " + p);
    }
    BadArgumentException.require(maxApodisation >= 0.2 && maxApodisation <= 1,
        "acquisition variation: expected a largest apodisation from 0.2 to 1, found "
            + maxApodisation);
  }

  /** Half block, half k-space; half of those filtered, half with partial Fourier. */
  public static AcquisitionVariation defaults() {
    return new AcquisitionVariation(0.5, 0.5, 1, 0.5);
  }

  /** One subject's degradation: {@code base}'s factor, noise and SNR with a drawn acquisition. */
  public Degradation draw(Degradation base, SplittableRandom rnd) {
    boolean kspace = rnd.nextDouble() < kspaceShare;
    double apod = 0;
    double pf = 1;
    int axis = 1;
    if (kspace) {
      if (rnd.nextDouble() < filterShare) {
        apod = 0.2 + (maxApodisation - 0.2) * rnd.nextDouble();
      }
      if (rnd.nextDouble() < partialFourierShare) {
        pf = rnd.nextBoolean() ? 7.0 / 8 : 6.0 / 8;
        axis = rnd.nextInt(2);
      }
    }
    return new Degradation(base.factor(), kspace, kspace ? new KSpaceFilter(apod, pf, axis)
        : KSpaceFilter.NONE, base.noise(), base.snr(), base.seed());
  }

  /** "block average or k-space (50%), ... drawn per subject". */
  public String describe() {
    return String.format(Locale.ROOT, "k-space truncation with probability %.3g (else block"
        + " average); of those, Tukey apodisation 0.2-%.3g with probability %.3g and partial"
        + " Fourier 7/8 or 6/8 along axis 0 or 1 with probability %.3g; drawn per subject",
        kspaceShare, maxApodisation, filterShare, partialFourierShare);
  }
}
