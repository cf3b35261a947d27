package org.noddildm.core.physics;

import org.noddildm.core.BadArgumentException;

/**
 * Gauss-Legendre quadrature: n nodes and weights that integrate polynomials of degree up to
 * 2n - 1 exactly on an interval. Nodes are the roots of the Legendre polynomial P_n, found by
 * Newton's method from the asymptotic guess cos(pi (i + 3/4) / (n + 1/2)) (Abramowitz and
 * Stegun 25.4.29).
 *
 * @param nodes abscissae on the interval, increasing
 * @param weights the matching weights (they sum to the interval's length)
 */
public record GaussLegendre(double[] nodes, double[] weights) {
  public GaussLegendre {
    BadArgumentException.require(nodes.length == weights.length, "quadrature: expected as many"
        + " weights as nodes (" + nodes.length + "), found " + weights.length);
  }

  /** n-point rule on [a, b]. */
  public static GaussLegendre on(int n, double a, double b) {
    BadArgumentException.require(n >= 1, "quadrature: expected n >= 1, found " + n);
    double[] x = new double[n];
    double[] w = new double[n];
    double half = (b - a) / 2;
    double mid = (a + b) / 2;
    for (int i = 0; i < (n + 1) / 2; i++) {
      double t = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double dp = 0;
      for (int iter = 0; iter < 100; iter++) {
        double[] p = legendre(n, t);
        dp = n * (t * p[0] - p[1]) / (t * t - 1);
        double dt = p[0] / dp;
        t -= dt;
        if (Math.abs(dt) < 1e-16) {
          break;
        }
      }
      // recompute the derivative at the converged root for the weight
      double[] p = legendre(n, t);
      dp = n == 1 ? 1 : n * (t * p[0] - p[1]) / (t * t - 1);
      double wi = 2 / ((1 - t * t) * dp * dp);
      x[i] = mid - half * t;
      x[n - 1 - i] = mid + half * t;
      w[i] = wi * half;
      w[n - 1 - i] = wi * half;
    }
    return new GaussLegendre(x, w);
  }

  /** P_n(t) and P_{n-1}(t) by Bonnet's recursion (P_0 = 1, P_1 = t). */
  private static double[] legendre(int n, double t) {
    double p0 = 1;
    double p1 = t;
    for (int k = 2; k <= n; k++) {
      double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    return new double[] {p1, p0};
  }

  public int size() {
    return nodes.length;
  }
}
