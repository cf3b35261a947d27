package org.noddildm.core.metrics;

import java.util.List;
import java.util.function.IntFunction;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * A per-voxel difficulty for the sd of a sampled estimate: for each map, log sd = w_0 + sum_k
 * w_k f_k over the {@link ErrorFeatures}, the weights fitted by least squares to log(|truth -
 * point| + eps) on calibration subjects (a heteroscedastic error regression; the interval then
 * scales it, as normalised conformal prediction does: Lei et al. 2018, "Distribution-free
 * predictive inference for regression", section 5.2). Since E log|e| = log sigma + a constant
 * for any scale family, exp of the fit is proportional to the error's scale; the constant is
 * the calibration's. NDI and ODI are fitted where the true FWF is below
 * {@link ErrorMetrics#FREE_WATER}, as they are scored.
 *
 * @param weights per map (NDI, ODI, FWF): the intercept, then one weight per feature
 */
public record ErrorModel(double[][] weights) {
  /** The smallest and largest log sd the model gives, so that no feature makes it 0 or inf. */
  private static final double LOG_MIN = -20;
  private static final double LOG_MAX = 5;

  public ErrorModel {
    int k = ErrorFeatures.NAMES.size() + 1;
    BadArgumentException.require(weights.length == 3 && weights[0].length == k
        && weights[1].length == k && weights[2].length == k, "error model: expected 3 maps x "
        + k + " weights, found " + weights.length + " x " + (weights.length > 0
        ? weights[0].length : 0));
  }

  /** One subject of the fit: its truth, point estimate, {@link ErrorFeatures#all} and brain. */
  public record Example(Volume truth, Volume point, Volume features, Mask brain) {}

  /**
   * The sd (up to the calibration's scale) of each map, 0 outside the brain; the features of
   * one map at a time, so that a whole brain never holds them all.
   */
  public Volume sd(ErrorFeatures f) {
    return sd(f.refined().grid(), f::of, f.brain());
  }

  /** The sd from {@link ErrorFeatures#all} (as {@link #sd(ErrorFeatures)}), 0 outside {@code brain}. */
  public Volume sd(Volume features, Mask brain) {
    int k = ErrorFeatures.NAMES.size();
    BadArgumentException.require(features.nt() == 3 * k, "error model: expected " + 3 * k
        + " features, found " + features.nt());
    return sd(features.grid(), t -> {
      float[][] x = new float[k][];
      for (int j = 0; j < k; j++) {
        x[j] = features.volume(t * k + j).data();
      }
      return x;
    }, brain);
  }

  /** exp of the fit per map, {@code features} giving map t's features over the voxels. */
  private Volume sd(Grid grid, IntFunction<float[][]> features, Mask brain) {
    int n = grid.size();
    float[] out = new float[3 * n];
    for (int t = 0; t < 3; t++) {
      float[][] x = features.apply(t);
      for (int i : brain.indices()) {
        out[t * n + i] = (float) Math.exp(linear(t, x, i));
      }
    }
    return new Volume(grid, 3, out);
  }

  private double linear(int t, float[][] x, int i) {
    double s = weights[t][0];
    for (int k = 0; k < x.length; k++) {
      s += weights[t][k + 1] * x[k][i];
    }
    return Math.max(LOG_MIN, Math.min(LOG_MAX, s));
  }

  /** The least-squares fit to {@code examples}. */
  public static ErrorModel fit(List<Example> examples) {
    BadArgumentException.require(!examples.isEmpty(), "error model: expected calibration"
        + " subjects, found none");
    int k = ErrorFeatures.NAMES.size() + 1;
    double[][] w = new double[3][];
    for (int t = 0; t < 3; t++) {
      double[][] ata = new double[k][k];
      double[] aty = new double[k];
      double[] row = new double[k];
      long n = 0;
      for (Example e : examples) {
        int nv = e.truth().grid().size();
        BadArgumentException.require(e.features().nt() == 3 * (k - 1) && e.point().grid()
            .size() == nv && e.features().grid().size() == nv, "error model: expected "
            + 3 * (k - 1) + " features on the truth's grid, found " + e.features().nt());
        for (int i : e.brain().indices()) {
          if (!ErrorMetrics.scored(e.truth(), t, i)) {
            continue;
          }
          row[0] = 1;
          for (int j = 1; j < k; j++) {
            row[j] = e.features().at(i, t * (k - 1) + j - 1);
          }
          double y = Math.log(Math.abs(e.truth().at(i, t) - e.point().at(i, t))
              + ErrorFeatures.EPS);
          for (int a = 0; a < k; a++) {
            aty[a] += row[a] * y;
            for (int b = 0; b < k; b++) {
              ata[a][b] += row[a] * row[b];
            }
          }
          n++;
        }
      }
      BadArgumentException.require(n > k, "error model: expected more scored voxels than "
          + k + " weights, found " + n);
      w[t] = solve(ata, aty);
    }
    return new ErrorModel(w);
  }

  /**
   * Solves a x = b for a symmetric positive semi-definite a by Gaussian elimination with partial
   * pivoting, with a ridge of 1e-9 times its mean diagonal (a constant feature stays solvable).
   */
  static double[] solve(double[][] a, double[] b) {
    int k = b.length;
    double[][] m = new double[k][k + 1];
    double trace = 0;
    for (int i = 0; i < k; i++) {
      trace += a[i][i];
    }
    double ridge = 1e-9 * Math.max(trace / k, 1e-12);
    for (int i = 0; i < k; i++) {
      System.arraycopy(a[i], 0, m[i], 0, k);
      m[i][i] += ridge;
      m[i][k] = b[i];
    }
    for (int c = 0; c < k; c++) {
      int p = c;
      for (int r = c + 1; r < k; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      double[] tmp = m[c];
      m[c] = m[p];
      m[p] = tmp;
      for (int r = c + 1; r < k; r++) {
        double f = m[r][c] / m[c][c];
        for (int j = c; j <= k; j++) {
          m[r][j] -= f * m[c][j];
        }
      }
    }
    double[] x = new double[k];
    for (int r = k - 1; r >= 0; r--) {
      double s = m[r][k];
      for (int j = r + 1; j < k; j++) {
        s -= m[r][j] * x[j];
      }
      x[r] = s / m[r][r];
    }
    return x;
  }
}
