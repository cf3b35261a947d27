package org.noddildm.core.fit;

import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignalModel;
import org.noddildm.core.physics.degrade.Noise;

/**
 * Simulated NODDI voxels with known parameters for testing and benchmarking the fitters:
 * parameters drawn uniformly over a realistic brain range, signals from the NODDI forward model
 * ({@link NoddiSignalModel}), optional Rician noise (Gudbjartsson and Patz 1995) with
 * sigma = S0 / SNR. Protocols come from {@link org.noddildm.core.physics.Protocol}; {@link #shells}
 * makes small ad hoc ones for tests.
 */
public final class FitSimulation {
  private FitSimulation() {}

  /**
   * The parameter range drawn from, each uniform: the span of white matter, grey matter and
   * partial-volume voxels in Zhang et al. 2012 (figs. 6 and 8).
   */
  public record Range(double ndiMin, double ndiMax, double odiMin, double odiMax, double fwfMin,
      double fwfMax) {
    public Range {
      BadArgumentException.require(0 <= ndiMin && ndiMin <= ndiMax && ndiMax <= 1
          && 0 < odiMin && odiMin <= odiMax && odiMax < 1 && 0 <= fwfMin && fwfMin <= fwfMax
          && fwfMax <= 1, "simulation range: expected 0 <= min <= max <= 1 (ODI strictly"
          + " inside), found " + this);
    }

    /** NDI 0.15..0.85, ODI 0.05..0.85, FWF 0..0.6. */
    public static Range realistic() {
      return new Range(0.15, 0.85, 0.05, 0.85, 0, 0.6);
    }
  }

  /** Signals (one row per voxel, S0 = {@code s0}) and the parameters they came from. */
  public record Voxels(double[][] signals, NoddiParams[] truth) {}

  /** b0s then one Fibonacci half-sphere set of directions per shell. */
  public static GradientTable shells(int b0s, double[] bvalues, int[] counts) {
    BadArgumentException.require(bvalues.length == counts.length,
        "shells: expected one count per b-value, found " + counts.length + " for "
            + bvalues.length);
    int total = b0s;
    for (int c : counts) {
      total += c;
    }
    double[] b = new double[total];
    double[][] g = new double[total][];
    int k = 0;
    for (; k < b0s; k++) {
      g[k] = new double[3];
    }
    for (int s = 0; s < bvalues.length; s++) {
      HemisphereDirections dirs = new HemisphereDirections(counts[s]);
      for (int d = 0; d < counts[s]; d++, k++) {
        b[k] = bvalues[s];
        g[k] = dirs.direction(d);
      }
    }
    return GradientTable.of(b, g);
  }

  /** A uniformly random unit vector. */
  public static double[] randomDirection(SplittableRandom rng) {
    double z = 2 * rng.nextDouble() - 1;
    double phi = 2 * Math.PI * rng.nextDouble();
    double r = Math.sqrt(1 - z * z);
    return new double[] {r * Math.cos(phi), r * Math.sin(phi), z};
  }

  /**
   * {@code count} voxels with parameters from {@code range}, S0 = {@code s0}, and Rician noise
   * at {@code snr} (infinity or 0 for noiseless). Same seed, same voxels.
   */
  public static Voxels draw(GradientTable table, int count, Range range, double s0, double snr,
      long seed) {
    BadArgumentException.require(count >= 1, "voxels: expected >= 1, found " + count);
    SplittableRandom rng = new SplittableRandom(seed);
    NoddiSignalModel model = new NoddiSignalModel(table, Diffusivities.IN_VIVO);
    boolean noisy = snr > 0 && Double.isFinite(snr);
    double sigma = noisy ? s0 / snr : 0;
    double[][] signals = new double[count][];
    NoddiParams[] truth = new NoddiParams[count];
    for (int v = 0; v < count; v++) {
      NoddiParams p = new NoddiParams(
          uniform(rng, range.ndiMin(), range.ndiMax()),
          uniform(rng, range.odiMin(), range.odiMax()),
          uniform(rng, range.fwfMin(), range.fwfMax()), randomDirection(rng));
      double[] s = model.signal(p);
      for (int i = 0; i < s.length; i++) {
        s[i] *= s0;
        if (noisy) {
          s[i] = Noise.RICIAN.sample(s[i], sigma, rng);
        }
      }
      signals[v] = s;
      truth[v] = p;
    }
    return new Voxels(signals, truth);
  }

  private static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
