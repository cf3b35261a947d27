package org.noddildm.core.physics;

/** Legendre polynomials by the three-term recurrence (l+1) P_{l+1} = (2l+1) t P_l - l P_{l-1}. */
public final class Legendre {
  private Legendre() {}

  /** Fills {@code out[l] = P_l(t)} for l = 0..out.length-1. */
  public static void values(double t, double[] out) {
    if (out.length == 0) {
      return;
    }
    out[0] = 1;
    if (out.length > 1) {
      out[1] = t;
    }
    for (int l = 1; l + 1 < out.length; l++) {
      out[l + 1] = ((2 * l + 1) * t * out[l] - l * out[l - 1]) / (l + 1);
    }
  }

  /**
   * The even series {@code sum_k c[k] P_{2k}(t)}: c holds the coefficients of l = 0, 2, 4, ...
   */
  public static double evenSeries(double[] c, int terms, double t) {
    double sum = c[0];
    double pm1 = 1;
    double p = t;
    int lmax = 2 * (terms - 1);
    for (int l = 1; l < lmax; l++) {
      double next = ((2 * l + 1) * t * p - l * pm1) / (l + 1);
      pm1 = p;
      p = next;
      if ((l & 1) == 1) {
        sum += c[(l + 1) / 2] * p;
      }
    }
    return sum;
  }
}
