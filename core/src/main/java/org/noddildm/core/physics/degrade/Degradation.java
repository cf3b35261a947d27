package org.noddildm.core.physics.degrade;

import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.DirectionSubset;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * How a high-resolution DWI becomes a short low-resolution scan: spatial downsampling by an
 * integer factor (block averaging of the signal, which is what larger voxels integrate, or
 * k-space truncation, which is what a smaller acquisition matrix reconstructs), then thermal
 * noise at a given SNR of the b0 signal. The direction subset is chosen before (see
 * {@link DirectionSubset}). The low-resolution grid is {@link VolumeOps#downsampledGrid}: voxel
 * size times the factor, same field of view, so it overlays the high-resolution image.
 *
 * @param factor integer downsampling factor per axis (default 2)
 * @param kspace true for k-space truncation, false for block averaging (default false)
 * @param filter the k-space reconstruction's apodisation and partial Fourier (default none;
 *     used only with {@code kspace})
 * @param noise noise model (default Rician)
 * @param snr b0 signal-to-noise ratio: sigma = S0_ref / snr (default 30; infinity: no noise)
 * @param seed noise seed
 */
public record Degradation(int factor, boolean kspace, KSpaceFilter filter, Noise noise,
    double snr, long seed) {
  public Degradation {
    BadArgumentException.require(filter != null, "k-space filter: expected one, found null");
    BadArgumentException.require(kspace || filter.isNone(), "k-space filter: expected none with"
        + " block averaging, found " + filter.describe());
    BadArgumentException.require(factor >= 1 && factor <= 8,
        "factor: expected an integer from 1 to 8, found " + factor);
    BadArgumentException.require(noise != null, "noise: expected a model, found null");
    BadArgumentException.require(snr > 0, "SNR: expected > 0, found " + snr);
  }

  /** Plain k-space truncation or block averaging, without a filter. */
  public Degradation(int factor, boolean kspace, Noise noise, double snr, long seed) {
    this(factor, kspace, KSpaceFilter.NONE, noise, snr, seed);
  }

  /** This degradation with another SNR and noise seed. */
  public Degradation withNoise(double snr, long seed) {
    return new Degradation(factor, kspace, filter, noise, snr, seed);
  }

  /** The low-resolution noisy image; sigma = s0Reference / snr. */
  public Volume apply(Volume hires, double s0Reference) {
    if (!kspace) {
      return applyNoise(VolumeOps.downsample(hires, factor), s0Reference);
    }
    return applyNoise(KSpaceTruncation.acquire(hires, factor, filter), s0Reference);
  }

  /**
   * The noise step for a reconstructed k-space image: complex noise and the magnitude when it
   * is complex (partial Fourier), else as {@link #applyNoise(Volume, double)}.
   */
  public Volume applyNoise(KSpaceTruncation.Image low, double s0Reference) {
    if (low.im() == null) {
      return applyNoise(low.re(), s0Reference);
    }
    if (noise == Noise.NONE || Double.isInfinite(snr)) {
      return low.magnitude();
    }
    double sigma = Noise.sigma(s0Reference, snr);
    int n = low.re().grid().size();
    int nt = low.re().nt();
    float[] re = low.re().data();
    float[] im = low.im().data();
    float[] out = new float[re.length];
    Parallel.forChunks(n, 4096, (start, end) -> {
      for (int i = start; i < end; i++) {
        java.util.SplittableRandom rnd = Noise.voxelRandom(seed, i);
        for (int t = 0; t < nt; t++) {
          out[i + t * n] = (float) noise.sampleComplex(re[i + t * n], im[i + t * n], sigma, rnd);
        }
      }
    });
    return new Volume(low.re().grid(), nt, out);
  }

  /** Only the noise step, for an image already at low resolution. */
  public Volume applyNoise(Volume low, double s0Reference) {
    if (noise == Noise.NONE || Double.isInfinite(snr)) {
      return low;
    }
    return addNoise(low, noise, Noise.sigma(s0Reference, snr), seed);
  }

  /** The low-resolution grid of a high-resolution one. */
  public Grid lowGrid(Grid hires) {
    return VolumeOps.downsampledGrid(hires, factor);
  }

  /** A low-resolution mask: voxels at least half covered by the high-resolution mask. */
  public Mask lowMask(Mask hires) {
    Volume frac = VolumeOps.downsample(hires.toVolume(), factor);
    return Mask.above(frac, 0.499f);
  }

  /** Noise in every voxel of every volume, seeded per voxel so threads do not matter. */
  public static Volume addNoise(Volume v, Noise noise, double sigma, long seed) {
    int n = v.grid().size();
    int nt = v.nt();
    float[] in = v.data();
    float[] out = new float[in.length];
    Parallel.forChunks(n, 4096, (start, end) -> {
      for (int i = start; i < end; i++) {
        java.util.SplittableRandom rnd = Noise.voxelRandom(seed, i);
        for (int t = 0; t < nt; t++) {
          out[i + t * n] = (float) noise.sample(in[i + t * n], sigma, rnd);
        }
      }
    });
    return new Volume(v.grid(), nt, out);
  }

  /** "factor 2 (block average), Rician noise at SNR 30". */
  public String summary() {
    return String.format(Locale.ROOT, "factor %d (%s), %s", factor,
        kspace ? "k-space truncation" + (filter.isNone() ? "" : ", " + filter.describe())
            : "block average",
        noise == Noise.NONE || Double.isInfinite(snr) ? "no noise"
            : noise.name().charAt(0) + noise.name().substring(1).toLowerCase(Locale.ROOT)
                + String.format(Locale.ROOT, " noise at b0 SNR %.4g", snr));
  }
}
