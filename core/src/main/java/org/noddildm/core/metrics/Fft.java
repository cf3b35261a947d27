package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;

/**
 * In-place iterative radix-2 Cooley-Tukey FFT on separate real and imaginary arrays whose
 * length is a power of two (Cooley and Tukey 1965). Forward: {@code X_k = sum_n x_n
 * exp(-2 pi i k n / N)}; the inverse uses the opposite sign and divides by N.
 */
public final class Fft {
  private Fft() {}

  /** The smallest power of two >= n (n >= 1). */
  public static int nextPowerOfTwo(long n) {
    BadArgumentException.require(n >= 1 && n <= (1 << 30),
        "FFT length: expected 1..2^30, found " + n);
    int p = 1;
    while (p < n) {
      p <<= 1;
    }
    return p;
  }

  public static void forward(double[] re, double[] im) {
    transform(re, im, -1);
  }

  /** Inverse transform, scaled by 1/N. */
  public static void inverse(double[] re, double[] im) {
    transform(re, im, +1);
    int n = re.length;
    for (int i = 0; i < n; i++) {
      re[i] /= n;
      im[i] /= n;
    }
  }

  private static void transform(double[] re, double[] im, int sign) {
    int n = re.length;
    BadArgumentException.require(n == im.length && Integer.bitCount(n) == 1,
        "FFT: expected equal power-of-two lengths, found " + n + " and " + im.length);
    // Bit-reversal permutation.
    for (int i = 1, j = 0; i < n; i++) {
      int bit = n >> 1;
      for (; (j & bit) != 0; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    // Butterflies; twiddles of each stage from one table of the largest stage.
    double[] cos = new double[n / 2];
    double[] sin = new double[n / 2];
    for (int k = 0; k < n / 2; k++) {
      double a = 2 * Math.PI * k / n;
      cos[k] = Math.cos(a);
      sin[k] = sign * Math.sin(a);
    }
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int step = n / len;
      for (int start = 0; start < n; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * step];
          double wi = sin[k * step];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
