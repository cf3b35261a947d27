package org.noddildm.core.physics;

import org.noddildm.core.BadArgumentException;

/**
 * Legendre expansion of the signal of one stick (a cylinder of zero radius, Behrens et al.
 * 2003) with diffusivity d along its axis, for b-value b and gradient at angle t = cos(angle)
 * to the axis:
 *
 * <pre>
 *   exp(-x t^2) = sum_{l even} a_l(x) P_l(t),   x = b d,
 *   a_l(x) = (2l + 1) * integral_0^1 exp(-x t^2) P_l(t) dt
 * </pre>
 *
 * The integrals are evaluated by a 256-point Gauss-Legendre rule, exact to rounding for the
 * range of x used in diffusion MRI (x up to about 150). The series is cut where the
 * coefficients fall to the rounding floor of the quadrature sums, {@link #FLOOR} (2l + 1):
 * terms below it carry only rounding noise. {@link #MAX_TERMS} caps the series.
 */
public final class StickKernel {
  /** Most even terms kept (l up to 2 (MAX_TERMS - 1) = 158). */
  public static final int MAX_TERMS = 80;
  /** Largest b d accepted: beyond this the series would need more than MAX_TERMS terms. */
  public static final double MAX_BD = 150;
  /** Rounding floor per unit of (2l + 1) of a computed coefficient a_l. */
  public static final double FLOOR = 5e-16;
  /** Products a_l w_l below this (absolute; signals are at most 1) end a summed series. */
  public static final double CUTOFF = 1e-15;
  private static final GaussLegendre UNIT = GaussLegendre.on(256, 0, 1);

  private StickKernel() {}

  /** The coefficients a_0, a_2, a_4, ... for x = b d, trimmed to the terms that matter. */
  public static double[] evenCoefficients(double x) {
    BadArgumentException.require(x >= 0 && x <= MAX_BD, "stick kernel: expected b * d in [0, "
        + MAX_BD + "] (b in s/mm^2, d in mm^2/s), found " + x);
    if (x == 0) {
      return new double[] {1};
    }
    int lmax = 2 * (MAX_TERMS - 1);
    double[] a = new double[MAX_TERMS];
    double[] p = new double[lmax + 1];
    double[] t = UNIT.nodes();
    double[] w = UNIT.weights();
    for (int i = 0; i < t.length; i++) {
      double e = w[i] * Math.exp(-x * t[i] * t[i]);
      Legendre.values(t[i], p);
      for (int k = 0; k < MAX_TERMS; k++) {
        a[k] += e * p[2 * k];
      }
    }
    for (int k = 0; k < MAX_TERMS; k++) {
      a[k] *= 4 * k + 1;
    }
    int terms = MAX_TERMS;
    while (terms > 1 && Math.abs(a[terms - 1]) < FLOOR * (4 * terms - 3)
        && Math.abs(a[terms - 2]) < FLOOR * (4 * terms - 7)) {
      terms--;
    }
    return java.util.Arrays.copyOf(a, terms);
  }
}
