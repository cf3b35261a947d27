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

  /**
   * Unnormalised autocovariance sums {@code sum_i (x_i - m)(x_{i+k} - m)}, k = 0..n-1 (the
   * returned array may be longer). The signal is real, so both transforms run at half length:
   * even and odd samples are packed as one complex sequence z = x_even + i x_odd, whose FFT Z
   * gives the spectrum X[k] = E[k] + W^k O[k] with E, O the spectra of the even and odd samples
   * and W = exp(-2 pi i / N); the power P = |X|^2 is real and even, so the inverse transform
   * of Y[k] = (P[k] + P[k+M]) + i (P[k] - P[k+M]) exp(2 pi i k / N) yields the even lags in its
   * real part and the odd lags in its imaginary part (each times 2).
   */
  static double[] autocorrelation(double[] x, double mean) {
    int n = x.length;
    int size = Math.max(2, Fft.nextPowerOfTwo(2L * n - 1));
    int half = size / 2;
    double[] re = new double[half];
    double[] im = new double[half];
    for (int i = 0; i < n; i++) {
      if ((i & 1) == 0) {
        re[i >> 1] = x[i] - mean;
      } else {
        im[i >> 1] = x[i] - mean;
      }
    }
    Fft.forward(re, im);
    double[] yr = new double[half];
    double[] yi = new double[half];
    for (int k = 0; k < half; k++) {
      int kk = (half - k) % half;
      double cr = re[kk];
      double ci = -im[kk]; // conj(Z[M - k])
      double er = (re[k] + cr) / 2;
      double ei = (im[k] + ci) / 2;
      double or = (im[k] - ci) / 2; // O = (Z - conj) / 2i
      double oi = -(re[k] - cr) / 2;
      double theta = 2 * Math.PI * k / size;
      double c = Math.cos(theta);
      double sn = Math.sin(theta);
      double tr = c * or + sn * oi; // W^k O with W^k = c - i sn
      double ti = c * oi - sn * or;
      double p1 = (er + tr) * (er + tr) + (ei + ti) * (ei + ti); // P[k]
      double p2 = (er - tr) * (er - tr) + (ei - ti) * (ei - ti); // P[k + M]
      double ep = p1 + p2;
      double op = p1 - p2;
      yr[k] = ep - op * sn;
      yi[k] = op * c;
    }
    Fft.inverse(yr, yi);
    double[] out = new double[size];
    for (int m = 0; m < half; m++) {
      out[2 * m] = yr[m] / 2;
      out[2 * m + 1] = yi[m] / 2;
    }
    return out;
  }
}
