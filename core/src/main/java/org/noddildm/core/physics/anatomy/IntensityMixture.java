package org.noddildm.core.physics.anatomy;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;

/**
 * A one-dimensional Gaussian mixture of K tissue classes fitted to T1 intensities by
 * expectation-maximisation (Dempster, Laird and Rubin 1977), the intensity model of SPM's and
 * FSL FAST's segmentation (Ashburner and Friston 2005; Zhang, Brady and Smith 2001) without
 * their spatial priors:
 *
 * <pre>
 *   p(v) = sum_k pi_k N(v; mu_k, sigma_k^2)
 *   E step: r_k(v) = pi_k N(v; mu_k, sigma_k^2) / p(v)
 *   M step: pi_k = sum_v h(v) r_k(v) / N,  mu_k = sum_v h(v) r_k(v) v / (N pi_k),
 *           sigma_k^2 = sum_v h(v) r_k(v) (v - mu_k)^2 / (N pi_k)
 * </pre>
 *
 * run on a 256-bin histogram h of the intensities (exact for 8-bit templates). The start is
 * deterministic: means at the quantiles (k + 0.5) / K of the intensities. Classes are sorted by
 * mean, so for a T1 class 0 is CSF, 1 gray matter, 2 white matter. The posteriors r_k serve as
 * partial-volume tissue fractions.
 *
 * @param weight mixing proportions pi_k (sum 1)
 * @param mean class means mu_k, increasing
 * @param sd class standard deviations sigma_k (positive)
 */
public record IntensityMixture(double[] weight, double[] mean, double[] sd) {
  private static final int BINS = 256;

  public IntensityMixture {
    BadArgumentException.require(weight.length >= 1 && weight.length == mean.length
        && mean.length == sd.length, "mixture: expected equal numbers of weights, means and"
        + " sds, found " + weight.length + ", " + mean.length + ", " + sd.length);
    double sum = 0;
    for (int k = 0; k < weight.length; k++) {
      BadArgumentException.require(sd[k] > 0 && weight[k] >= 0, "mixture class " + k
          + ": expected sd > 0 and weight >= 0, found sd " + sd[k] + ", weight " + weight[k]);
      BadArgumentException.require(k == 0 || mean[k] >= mean[k - 1],
          "mixture: expected increasing means, found " + Arrays.toString(mean));
      sum += weight[k];
    }
    BadArgumentException.require(Math.abs(sum - 1) < 1e-6,
        "mixture: expected weights summing to 1, found " + sum);
    weight = weight.clone();
    mean = mean.clone();
    sd = sd.clone();
  }

  /** The K-class mixture of {@code values} where {@code inside}, after {@code iterations} EM. */
  public static IntensityMixture fit(float[] values, boolean[] inside, int classes, int iterations) {
    BadArgumentException.require(classes >= 1 && classes <= 8,
        "mixture: expected 1 to 8 classes, found " + classes);
    int n = 0;
    for (boolean b : inside) {
      n += b ? 1 : 0;
    }
    BadArgumentException.require(n >= 10 * classes, "mixture: expected at least " + 10 * classes
        + " voxels inside, found " + n);
    float[] v = new float[n];
    int k = 0;
    for (int i = 0; i < values.length; i++) {
      if (inside[i]) {
        v[k++] = values[i];
      }
    }
    Arrays.sort(v);
    // the histogram spans the 0.1 to 99.9 percentiles: bright vessels do not stretch the bins
    double lo = v[(int) (0.001 * (n - 1))];
    double hi = Math.max(v[(int) (0.999 * (n - 1))], lo + 1e-6);
    double width = (hi - lo) / BINS;
    double[] h = new double[BINS];
    double[] centre = new double[BINS];
    for (int b = 0; b < BINS; b++) {
      centre[b] = lo + (b + 0.5) * width;
    }
    for (float x : v) {
      h[Math.max(0, Math.min(BINS - 1, (int) ((x - lo) / width)))]++;
    }
    double[] pi = new double[classes];
    double[] mu = new double[classes];
    double[] sigma = new double[classes];
    for (int c = 0; c < classes; c++) {
      pi[c] = 1.0 / classes;
      mu[c] = v[(int) ((c + 0.5) / classes * (n - 1))];
      sigma[c] = (hi - lo) / (2.0 * classes);
    }
    double[] r = new double[classes];
    for (int it = 0; it < iterations; it++) {
      double[] sw = new double[classes];
      double[] sx = new double[classes];
      double[] sxx = new double[classes];
      for (int b = 0; b < BINS; b++) {
        if (h[b] == 0) {
          continue;
        }
        responsibilities(centre[b], pi, mu, sigma, r);
        for (int c = 0; c < classes; c++) {
          double w = h[b] * r[c];
          sw[c] += w;
          sx[c] += w * centre[b];
          sxx[c] += w * centre[b] * centre[b];
        }
      }
      for (int c = 0; c < classes; c++) {
        if (sw[c] <= 0) {
          continue; // an empty class keeps its parameters
        }
        pi[c] = sw[c] / n;
        mu[c] = sx[c] / sw[c];
        sigma[c] = Math.sqrt(Math.max(sxx[c] / sw[c] - mu[c] * mu[c], width * width));
      }
    }
    Integer[] order = new Integer[classes];
    for (int c = 0; c < classes; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (a, b) -> Double.compare(mu[a], mu[b]));
    double total = Arrays.stream(pi).sum();
    double[] w = new double[classes];
    double[] m = new double[classes];
    double[] s = new double[classes];
    for (int c = 0; c < classes; c++) {
      w[c] = pi[order[c]] / total;
      m[c] = mu[order[c]];
      s[c] = sigma[order[c]];
    }
    return new IntensityMixture(w, m, s);
  }

  /**
   * The class posteriors of intensity {@code value} into {@code out}. Below the lowest class
   * mean (above the highest) they move linearly from the posteriors at that mean to the pure
   * class over one standard deviation: the darkest voxels are pure CSF, the brightest pure
   * white matter, and the wide tail of another class cannot win at the extremes.
   */
  public void posterior(double value, double[] out) {
    int last = mean.length - 1;
    int pure;
    double a;
    if (value < mean[0]) {
      pure = 0;
      a = Math.min(1, (mean[0] - value) / sd[0]);
    } else if (value > mean[last]) {
      pure = last;
      a = Math.min(1, (value - mean[last]) / sd[last]);
    } else {
      responsibilities(value, weight, mean, sd, out);
      return;
    }
    responsibilities(mean[pure], weight, mean, sd, out);
    for (int c = 0; c < out.length; c++) {
      out[c] = (1 - a) * out[c] + (c == pure ? a : 0);
    }
  }

  private static void responsibilities(double x, double[] pi, double[] mu, double[] sigma,
      double[] r) {
    double sum = 0;
    for (int c = 0; c < pi.length; c++) {
      double z = (x - mu[c]) / sigma[c];
      r[c] = pi[c] / sigma[c] * Math.exp(-0.5 * z * z);
      sum += r[c];
    }
    if (sum <= 0 || !Double.isFinite(sum)) {
      int best = 0;
      for (int c = 1; c < pi.length; c++) {
        if (Math.abs(x - mu[c]) < Math.abs(x - mu[best])) {
          best = c;
        }
      }
      Arrays.fill(r, 0);
      r[best] = 1;
      return;
    }
    for (int c = 0; c < pi.length; c++) {
      r[c] /= sum;
    }
  }
}
