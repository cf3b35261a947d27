package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;

/**
 * The white-noise check of the write-up ({@code check_white_noise}): the mean, the variance and
 * the autocorrelation at every non-zero lag of a sample flattened to one sequence,
 *
 * <pre>
 *   r_k = sum_{i=0}^{n-1-k} (x_i - m)(x_{i+k} - m) / (s^2 n),   k = 1 .. n-1
 * </pre>
 *
 * with m the mean and s^2 the unbiased variance (the write-up's {@code torch.var}). The sample
 * passes when no |r_k| exceeds the threshold (default 23e-3). The write-up compared the signed
 * r_k; a large negative autocorrelation is just as far from white, so the absolute value is
 * used. All lags come from one FFT of length 2^ceil(log2(2n - 1)) (Wiener-Khinchin: the
 * autocorrelation is the inverse transform of the power spectrum; zero padding to at least
 * 2n - 1 avoids circular wrap-around), so millions of samples take well under a second.
 *
 * <p>For true white noise |r_k| is about 1/sqrt(n), and its largest value over all lags about
 * sqrt(2 ln n / n): the default threshold only makes sense for n beyond roughly 50 000 samples.
 */
public final class WhiteNoiseCheck {
  /** The write-up's threshold on the non-zero-lag autocorrelation. */
  public static final double DEFAULT_THRESHOLD = 23e-3;

  private WhiteNoiseCheck() {}

  /**
   * Outcome of the check.
   *
   * @param n number of samples
   * @param mean sample mean
   * @param variance unbiased sample variance
   * @param worstLag the non-zero lag with the largest |r_k| (0 when n is 1)
   * @param worstValue r at that lag (signed)
   * @param threshold the threshold on |r_k|
   * @param lagsAbove number of lags with |r_k| > threshold
   */
  public record Result(long n, double mean, double variance, long worstLag, double worstValue,
      double threshold, long lagsAbove) {
    /** True when no non-zero-lag autocorrelation exceeds the threshold. */
    public boolean passes() {
      return lagsAbove == 0;
    }
  }

  public static Result check(float[] x, double threshold) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return check(d, threshold);
  }

  public static Result check(double[] x, double threshold) {
    int n = x.length;
    BadArgumentException.require(n >= 2, "white-noise check: expected >= 2 samples, found " + n);
    BadArgumentException.require(threshold > 0,
        "white-noise check: expected a positive threshold, found " + threshold);
    double mean = 0;
    for (double v : x) {
      BadArgumentException.require(Double.isFinite(v),
          "white-noise check: expected finite samples, found " + v);
      mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    double var = ss / (n - 1);
    double[] r = autocorrelation(x, mean);
    long worstLag = 0;
    double worst = 0;
    long above = 0;
    double norm = var * n;
    for (int k = 1; k < n; k++) {
      double rk = var == 0 ? 0 : r[k] / norm;
      if (Math.abs(rk) > threshold) {
        above++;
      }
      if (Math.abs(rk) > Math.abs(worst) || worstLag == 0) {
        worst = rk;
        worstLag = k;
      }
    }
    return new Result(n, mean, var, worstLag, worst, threshold, above);
  }

  /** Unnormalised autocovariance sums {@code sum_i (x_i - m)(x_{i+k} - m)}, k = 0..n-1. */
  static double[] autocorrelation(double[] x, double mean) {
    int n = x.length;
    int size = Fft.nextPowerOfTwo(2L * n - 1);
    double[] re = new double[size];
    double[] im = new double[size];
    for (int i = 0; i < n; i++) {
      re[i] = x[i] - mean;
    }
    Fft.forward(re, im);
    for (int i = 0; i < size; i++) {
      re[i] = re[i] * re[i] + im[i] * im[i];
      im[i] = 0;
    }
    Fft.inverse(re, im);
    return re;
  }
}
