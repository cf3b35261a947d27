package org.noddildm.model.diffusion;

import org.noddildm.core.BadArgumentException;

/**
 * The seed write-up's white-noise check, used to confirm that a fully noised latent (and a
 * sampler's starting point) is white: mean, variance and the largest absolute sample
 * autocorrelation over lags 1..maxLag,
 * <pre>
 *   r(k) = sum_{i < n-k} (x_i - m)(x_{i+k} - m) / (var * n)
 * </pre>
 * The values are taken in storage order (for a latent (B, C, D, H, W): W fastest), so lags below
 * W probe neighbours along W, and multiples of W along H. White noise has |r(k)| of order
 * 1/sqrt(n); the write-up's threshold 23e-3 suits n in the tens of thousands.
 *
 * @param mean sample mean
 * @param variance population variance
 * @param maxAbsAutocorrelation max over k = 1..maxLag of |r(k)|
 * @param lag the lag where it occurs
 * @param white whether it stays at or below the threshold
 */
public record WhiteNoise(double mean, double variance, double maxAbsAutocorrelation, int lag,
    boolean white) {

  /** The write-up's threshold. */
  public static final double DEFAULT_THRESHOLD = 23e-3;

  public static WhiteNoise check(float[] x, int maxLag, double threshold) {
    int n = x.length;
    BadArgumentException.require(n >= 2 && maxLag >= 1 && maxLag < n, "white-noise check:"
        + " expected 1 <= maxLag < n (" + n + "), found " + maxLag);
    double m = 0;
    for (float v : x) {
      m += v;
    }
    m /= n;
    double var = 0;
    for (float v : x) {
      var += (v - m) * (v - m);
    }
    var /= n;
    double best = 0;
    int bestLag = 1;
    for (int k = 1; k <= maxLag; k++) {
      double s = 0;
      for (int i = 0; i + k < n; i++) {
        s += (x[i] - m) * (x[i + k] - m);
      }
      double r = var > 0 ? Math.abs(s / (var * n)) : 0;
      if (r > best) {
        best = r;
        bestLag = k;
      }
    }
    return new WhiteNoise(m, var, best, bestLag, best <= threshold);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "mean %.4f, variance %.4f, max |r(k)| %.4f at"
        + " lag %d: %s", mean, variance, maxAbsAutocorrelation, lag, white ? "white" : "not white");
  }
}
