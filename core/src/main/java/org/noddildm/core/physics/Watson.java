package org.noddildm.core.physics;

import org.noddildm.core.BadArgumentException;

/**
 * The Watson distribution of fibre orientations n around a mean direction mu on the sphere
 * (Mardia and Jupp 2000; Zhang et al. 2012, NeuroImage 61:1000, eq. 2):
 *
 * <pre>
 *   f(n) = exp(kappa (mu . n)^2) / (4 pi M(1/2, 3/2, kappa))
 * </pre>
 *
 * with M Kummer's confluent hypergeometric function. NODDI reports the concentration kappa as
 * the orientation dispersion index ODI = (2 / pi) arctan(1 / kappa): 0 for parallel sticks
 * (kappa = infinity) and 1 for an isotropic spread (kappa = 0).
 *
 * <p>The signal model needs the distribution's Legendre moments w_l = &lt;P_l(mu . n)&gt;_f:
 * by the Funk-Hecke theorem, the sphere average of any axially symmetric kernel
 * sum_l a_l P_l(g . n) under f is sum_l a_l w_l P_l(g . mu). They are computed by Gauss-Legendre
 * quadrature over the polar angle theta between n and mu, on [0, theta_max] where theta_max cuts
 * off weights below exp(-49) for concentrated distributions; odd moments vanish by symmetry.
 */
public final class Watson {
  /** Nodes of the polar-angle quadrature (tests: 1e-8 relative signal accuracy or better). */
  private static final int NODES = 64;
  private static final GaussLegendre HALF = GaussLegendre.on(NODES, 0, Math.PI / 2);
  private static final int TABLE_L = 2 * (StickKernel.MAX_TERMS - 1);
  /** P_l(cos theta_i) at the full-hemisphere nodes, used whenever kappa &lt;= 49. */
  private static final double[][] P_HALF = new double[NODES][TABLE_L + 1];

  static {
    for (int i = 0; i < NODES; i++) {
      Legendre.values(Math.cos(HALF.nodes()[i]), P_HALF[i]);
    }
  }

  private Watson() {}

  /** kappa = 1 / tan(pi ODI / 2); ODI 0 gives infinity, ODI 1 gives 0. */
  public static double kappaFromOdi(double odi) {
    BadArgumentException.require(odi >= 0 && odi <= 1,
        "ODI: expected a value in [0, 1], found " + odi);
    if (odi == 0) {
      return Double.POSITIVE_INFINITY;
    }
    if (odi == 1) {
      return 0;
    }
    return 1 / Math.tan(Math.PI * odi / 2);
  }

  /** ODI = (2 / pi) arctan(1 / kappa). */
  public static double odiFromKappa(double kappa) {
    BadArgumentException.require(kappa >= 0, "kappa: expected >= 0, found " + kappa);
    if (Double.isInfinite(kappa)) {
      return 0;
    }
    return kappa == 0 ? 1 : 2 / Math.PI * Math.atan(1 / kappa);
  }

  /**
   * The even Legendre moments w_0, w_2, ..., w_{2(terms-1)} of the Watson distribution with
   * concentration kappa (w_0 = 1). kappa = infinity gives all ones (a single direction).
   */
  public static double[] evenMoments(double kappa, int terms) {
    BadArgumentException.require(kappa >= 0, "kappa: expected >= 0, found " + kappa);
    BadArgumentException.require(terms >= 1, "moments: expected >= 1 term, found " + terms);
    double[] w = new double[terms];
    if (Double.isInfinite(kappa)) {
      java.util.Arrays.fill(w, 1.0);
      return w;
    }
    if (kappa == 0) {
      w[0] = 1;
      return w;
    }
    double[] x = HALF.nodes();
    double[] wt = HALF.weights();
    double scale = 1;
    if (kappa > 49 / 1.0) {
      // integrate only where kappa sin^2(theta) <= 49
      scale = Math.asin(Math.sqrt(49 / kappa)) / (Math.PI / 2);
    }
    int lmax = 2 * (terms - 1);
    double[] scratch = scale == 1 && lmax <= TABLE_L ? null : new double[lmax + 1];
    double norm = 0;
    for (int i = 0; i < x.length; i++) {
      double theta = x[i] * scale;
      double s = Math.sin(theta);
      double weight = wt[i] * scale * Math.exp(-kappa * s * s) * s;
      norm += weight;
      double[] p = scratch;
      if (p == null) {
        p = P_HALF[i];
      } else {
        Legendre.values(Math.cos(theta), p);
      }
      for (int k = 0; k < terms; k++) {
        w[k] += weight * p[2 * k];
      }
    }
    for (int k = 0; k < terms; k++) {
      w[k] /= norm;
    }
    w[0] = 1;
    return w;
  }

  /** &lt;(mu . n)^2&gt; = (1 + 2 w_2) / 3: 1/3 for kappa = 0, 1 for kappa = infinity. */
  public static double secondMoment(double kappa) {
    double[] w = evenMoments(kappa, 2);
    return (1 + 2 * w[1]) / 3;
  }
}
