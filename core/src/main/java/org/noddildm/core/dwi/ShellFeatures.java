package org.noddildm.core.dwi;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * A DWI turned into features that do not depend on the order or the number of gradient
 * directions: per shell, the spherical-harmonic coefficients (Descoteaux et al. 2007) of the
 * b0-normalised signal E(g) = S(g) / S0, plus S0 itself scaled by a robust brain maximum.
 *
 * <p>Channel 0 is S0 / s0Scale; then for each shell of the {@link ShellFeatureSpec} its
 * coefficients in {@link SphericalHarmonics} order. A scan with another direction set on the
 * same shells gives the same features up to sampling noise, so a model trained on one protocol
 * accepts scans from others with those shells.
 */
public final class ShellFeatures {
  /** E = S / S0 is clipped to [0, E_MAX] against noise in dark voxels. */
  static final double E_MAX = 1.5;

  private ShellFeatures() {}

  /**
   * Features of {@code dwi} (4D, one volume per table entry), on the same grid.
   *
   * @param s0Scale S0 is divided by this; use {@link #robustS0Scale} of the training data or of
   *     the scan itself
   */
  public static Volume compute(Volume dwi, GradientTable table, ShellFeatureSpec spec,
      double s0Scale) {
    table.requireVolumes(dwi.nt());
    int[] b0 = table.b0Indices();
    BadArgumentException.require(b0.length > 0, "features: expected at least one b0 volume"
        + " (b <= " + table.b0Threshold() + "), found " + table.summary());
    BadArgumentException.require(s0Scale > 0 && Double.isFinite(s0Scale),
        "S0 scale: expected a positive number, found " + s0Scale);
    GradientTable.Shell[] shells = spec.match(table);
    int coeffs = SphericalHarmonics.count(spec.lmax());
    double[][][] fit = new double[shells.length][][];
    for (int s = 0; s < shells.length; s++) {
      int[] idx = shells[s].indices();
      double[][] dirs = new double[idx.length][];
      for (int k = 0; k < idx.length; k++) {
        dirs[k] = table.bvec(idx[k]);
      }
      fit[s] = SphericalHarmonics.fitMatrix(spec.lmax(), dirs, spec.lambda());
    }
    int n = dwi.grid().size();
    Volume out = Volume.zeros(dwi.grid(), spec.channels());
    float[] o = out.data();
    float[] in = dwi.data();
    float[] meanB0 = meanB0(dwi, b0);
    Parallel.forChunks(n, 4096, (start, end) -> {
      double[] e = new double[dwi.nt()];
      for (int i = start; i < end; i++) {
        double s0 = meanB0[i];
        if (!(s0 > 0) || !Double.isFinite(s0)) {
          continue; // background: all features 0
        }
        o[i] = (float) (s0 / s0Scale);
        for (int t = 0; t < dwi.nt(); t++) {
          double v = in[i + t * n] / s0;
          e[t] = Double.isFinite(v) ? Math.max(0, Math.min(E_MAX, v)) : 0;
        }
        for (int s = 0; s < shells.length; s++) {
          int[] idx = shells[s].indices();
          for (int c = 0; c < coeffs; c++) {
            double acc = 0;
            double[] row = fit[s][c];
            for (int k = 0; k < idx.length; k++) {
              acc += row[k] * e[idx[k]];
            }
            o[i + (1 + s * coeffs + c) * n] = (float) acc;
          }
        }
      }
    });
    return out;
  }

  /**
   * A robust maximum of the mean b0 image: the 99th percentile of its positive values, so that
   * S0 features of different scanners and gains fall in about 0..1.
   */
  public static double robustS0Scale(Volume dwi, GradientTable table) {
    table.requireVolumes(dwi.nt());
    int[] b0 = table.b0Indices();
    BadArgumentException.require(b0.length > 0, "S0 scale: expected a b0 volume, found "
        + table.summary());
    return robustS0Scale(meanB0(dwi, b0), null);
  }

  /**
   * The 99th percentile of the positive finite values of a mean b0 image, inside {@code mask}
   * (null: every voxel).
   */
  public static double robustS0Scale(float[] meanB0, Mask mask) {
    float[] s0 = new float[meanB0.length];
    int positive = 0;
    for (int i = 0; i < meanB0.length; i++) {
      float s = meanB0[i];
      if ((mask == null || mask.contains(i)) && s > 0 && Float.isFinite(s)) {
        s0[positive++] = s;
      }
    }
    BadArgumentException.require(positive > 0,
        "S0 scale: expected some voxels with a positive b0 signal, found none");
    float[] vals = Arrays.copyOf(s0, positive);
    Arrays.sort(vals);
    return vals[(int) Math.min(positive - 1, Math.floor(0.99 * (positive - 1)))];
  }

  /** Per-voxel mean of the b0 volumes {@code b0} of {@code dwi}, summed in double. */
  public static float[] meanB0(Volume dwi, int[] b0) {
    int n = dwi.grid().size();
    float[] in = dwi.data();
    float[] out = new float[n];
    Parallel.forChunks(n, 4096, (start, end) -> {
      for (int i = start; i < end; i++) {
        double s = 0;
        for (int t : b0) {
          s += in[i + t * n];
        }
        out[i] = (float) (s / b0.length);
      }
    });
    return out;
  }
}
