package org.noddildm.core.physics.phantom;

import java.util.SplittableRandom;

/**
 * A smooth random scalar field on R^3: a sum of K plane waves with random directions, phases and
 * frequencies near a chosen one (a spectral synthesis of a Gaussian random field, Shinozuka and
 * Deodatis 1991). Values have mean 0 and variance about 1; the zero set of a field evaluated on
 * the unit sphere meanders like cortical sulci.
 */
public final class SmoothField {
  private final double[][] omega;
  private final double[] phase;
  private final double amp;

  /** K waves of frequency (radians per unit) frequency * (0.75..1.25), drawn from rnd. */
  public SmoothField(SplittableRandom rnd, int waves, double frequency) {
    omega = new double[waves][3];
    phase = new double[waves];
    for (int k = 0; k < waves; k++) {
      double z = 2 * rnd.nextDouble() - 1;
      double a = 2 * Math.PI * rnd.nextDouble();
      double r = Math.sqrt(1 - z * z);
      double f = frequency * (0.75 + 0.5 * rnd.nextDouble());
      omega[k][0] = f * r * Math.cos(a);
      omega[k][1] = f * r * Math.sin(a);
      omega[k][2] = f * z;
      phase[k] = 2 * Math.PI * rnd.nextDouble();
    }
    amp = Math.sqrt(2.0 / waves);
  }

  /** The field at (x, y, z). */
  public double at(double x, double y, double z) {
    double s = 0;
    for (int k = 0; k < phase.length; k++) {
      s += Math.cos(omega[k][0] * x + omega[k][1] * y + omega[k][2] * z + phase[k]);
    }
    return amp * s;
  }

  /** The field and its gradient at (x, y, z): {f, df/dx, df/dy, df/dz}. */
  public void withGradient(double x, double y, double z, double[] out) {
    double f = 0;
    double gx = 0;
    double gy = 0;
    double gz = 0;
    for (int k = 0; k < phase.length; k++) {
      double arg = omega[k][0] * x + omega[k][1] * y + omega[k][2] * z + phase[k];
      double c = Math.cos(arg);
      double s = Math.sin(arg);
      f += c;
      gx -= s * omega[k][0];
      gy -= s * omega[k][1];
      gz -= s * omega[k][2];
    }
    out[0] = amp * f;
    out[1] = amp * gx;
    out[2] = amp * gy;
    out[3] = amp * gz;
  }
}
