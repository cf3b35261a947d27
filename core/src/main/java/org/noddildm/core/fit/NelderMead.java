package org.noddildm.core.fit;

import java.util.function.ToDoubleFunction;
import org.noddildm.core.BadArgumentException;

/**
 * The Nelder-Mead downhill simplex (Nelder and Mead 1965) with the standard coefficients
 * (reflection 1, expansion 2, contraction 1/2, shrink 1/2) and box bounds enforced by clamping
 * every trial point into the box, so the objective is never evaluated outside it.
 */
public final class NelderMead {
  private NelderMead() {}

  /**
   * Minimises {@code f} from {@code x0}.
   *
   * @param step initial simplex edge per coordinate
   * @param lower lower bounds (use -infinity for none)
   * @param upper upper bounds (use +infinity for none)
   * @param maxEvaluations budget of calls to {@code f}
   * @param tolerance stop when the simplex's values differ by less than this
   * @return the best point found; its value is in {@code [n]}, i.e. the array has length n + 1
   */
  public static double[] minimize(ToDoubleFunction<double[]> f, double[] x0, double[] step,
      double[] lower, double[] upper, int maxEvaluations, double tolerance) {
    int n = x0.length;
    BadArgumentException.require(step.length == n && lower.length == n && upper.length == n,
        "Nelder-Mead: expected step and bounds of length " + n);
    double[][] s = new double[n + 1][];
    double[] fs = new double[n + 1];
    s[0] = clamp(x0.clone(), lower, upper);
    fs[0] = f.applyAsDouble(s[0]);
    int evals = 1;
    for (int k = 0; k < n; k++) {
      double[] v = s[0].clone();
      v[k] += step[k];
      if (v[k] > upper[k]) {
        v[k] = s[0][k] - step[k];
      }
      s[k + 1] = clamp(v, lower, upper);
      fs[k + 1] = f.applyAsDouble(s[k + 1]);
      evals++;
    }
    double[] centroid = new double[n];
    while (evals < maxEvaluations) {
      sort(s, fs);
      if (Math.abs(fs[n] - fs[0]) <= tolerance) {
        break;
      }
      java.util.Arrays.fill(centroid, 0);
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
          centroid[k] += s[i][k] / n;
        }
      }
      double[] xr = clamp(along(centroid, s[n], -1), lower, upper);
      double fr = f.applyAsDouble(xr);
      evals++;
      if (fr < fs[0]) {
        double[] xe = clamp(along(centroid, s[n], -2), lower, upper);
        double fe = f.applyAsDouble(xe);
        evals++;
        if (fe < fr) {
          s[n] = xe;
          fs[n] = fe;
        } else {
          s[n] = xr;
          fs[n] = fr;
        }
      } else if (fr < fs[n - 1]) {
        s[n] = xr;
        fs[n] = fr;
      } else {
        boolean outside = fr < fs[n];
        double[] xc = clamp(along(centroid, s[n], outside ? -0.5 : 0.5), lower, upper);
        double fc = f.applyAsDouble(xc);
        evals++;
        if (fc < Math.min(fr, fs[n])) {
          s[n] = xc;
          fs[n] = fc;
        } else {
          for (int i = 1; i <= n; i++) {
            for (int k = 0; k < n; k++) {
              s[i][k] = s[0][k] + 0.5 * (s[i][k] - s[0][k]);
            }
            fs[i] = f.applyAsDouble(s[i]);
            evals++;
          }
        }
      }
    }
    sort(s, fs);
    double[] out = java.util.Arrays.copyOf(s[0], n + 1);
    out[n] = fs[0];
    return out;
  }

  /** centroid + t (worst - centroid): t = -1 reflects, -2 expands, +-0.5 contracts. */
  private static double[] along(double[] centroid, double[] worst, double t) {
    double[] x = new double[centroid.length];
    for (int k = 0; k < x.length; k++) {
      x[k] = centroid[k] + t * (worst[k] - centroid[k]);
    }
    return x;
  }

  private static double[] clamp(double[] x, double[] lo, double[] hi) {
    for (int k = 0; k < x.length; k++) {
      x[k] = Math.max(lo[k], Math.min(hi[k], x[k]));
    }
    return x;
  }

  private static void sort(double[][] s, double[] fs) {
    for (int i = 1; i < fs.length; i++) {
      double fv = fs[i];
      double[] sv = s[i];
      int j = i - 1;
      while (j >= 0 && fs[j] > fv) {
        fs[j + 1] = fs[j];
        s[j + 1] = s[j];
        j--;
      }
      fs[j + 1] = fv;
      s[j + 1] = sv;
    }
  }
}
