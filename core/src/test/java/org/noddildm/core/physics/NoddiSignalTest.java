package org.noddildm.core.physics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;

class NoddiSignalTest {
  private static final double D_PAR = 1.7e-3;

  /**
   * Brute-force reference, independent of the Legendre series: a 2D quadrature on the sphere in
   * the frame where mu is the z axis and g lies in the x-z plane at angle alpha to mu. Polar
   * angle by 24 Gauss-Legendre panels of 32 nodes, azimuth by the periodic trapezoid rule.
   * Returns {E_ic, <cos^2 theta>}.
   */
  static double[] sphereQuadrature(double kappa, double x, double alpha) {
    int panels = 24;
    GaussLegendre unit = GaussLegendre.on(32, 0, 1);
    int nphi = 720;
    double ca = Math.cos(alpha);
    double sa = Math.sin(alpha);
    double[] cosPhi = new double[nphi];
    for (int j = 0; j < nphi; j++) {
      cosPhi[j] = Math.cos(2 * Math.PI * j / nphi);
    }
    double norm = 0;
    double eic = 0;
    double second = 0;
    for (int p = 0; p < panels; p++) {
      double lo = Math.PI * p / panels;
      double h = Math.PI / panels;
      for (int i = 0; i < unit.size(); i++) {
        double theta = lo + h * unit.nodes()[i];
        double ct = Math.cos(theta);
        double st = Math.sin(theta);
        double wt = h * unit.weights()[i] * st * Math.exp(kappa * (ct * ct - 1));
        double ring = 0;
        for (int j = 0; j < nphi; j++) {
          double gn = ca * ct + sa * st * cosPhi[j];
          ring += Math.exp(-x * gn * gn);
        }
        ring /= nphi;
        norm += wt;
        eic += wt * ring;
        second += wt * ct * ct;
      }
    }
    return new double[] {eic / norm, second / norm};
  }

  private static GradientTable single(double b, double[] g) {
    return GradientTable.of(new double[] {b}, new double[][] {g});
  }

  @Test
  void intraCellularMatchesBruteForceSphereQuadrature() {
    double[] kappas = {0, 0.25, 1, 4, 16, 32, 48, 64, 128, 512};
    double[] bs = {700, 1000, 3000, 10000};
    double[] alphas = {0, 0.3, Math.PI / 4, 1.2, Math.PI / 2};
    double worst = 0;
    for (double kappa : kappas) {
      double[][] g = new double[alphas.length][];
      for (int k = 0; k < alphas.length; k++) {
        g[k] = new double[] {Math.sin(alphas[k]), 0, Math.cos(alphas[k])};
      }
      for (double b : bs) {
        double[] bvals = new double[alphas.length];
        java.util.Arrays.fill(bvals, b);
        NoddiSignalModel model = new NoddiSignalModel(bvals, g, Diffusivities.IN_VIVO);
        NoddiSignalModel.Dispersion f = model.dispersion(kappa);
        double[] eic = new double[alphas.length];
        model.intraCellular(new double[] {0, 0, 1}, f, eic);
        for (int k = 0; k < alphas.length; k++) {
          double[] ref = sphereQuadrature(kappa, b * D_PAR, alphas[k]);
          double rel = Math.abs(eic[k] - ref[0]) / ref[0];
          worst = Math.max(worst, rel);
          assertTrue(rel < 1e-6, "kappa " + kappa + " b " + b + " alpha " + alphas[k]
              + ": series " + eic[k] + " vs quadrature " + ref[0] + " (rel " + rel + ")");
          assertEquals(ref[1], f.second(), 1e-10, "second moment at kappa " + kappa);
        }
      }
    }
    System.out.println("worst relative error of E_ic vs sphere quadrature: " + worst);
  }

  @Test
  void veryConcentratedWatsonGivesSingleStick() {
    double b = 3000;
    double alpha = 0.7;
    double[] g = {Math.sin(alpha), 0, Math.cos(alpha)};
    double stick = Math.exp(-b * D_PAR * Math.cos(alpha) * Math.cos(alpha));
    double[] s = NoddiSignal.signal(NoddiParams.withKappa(1, 1e7, 0, new double[] {0, 0, 1}),
        single(b, g));
    assertEquals(stick, s[0], 1e-6 * stick);
    double[] exact = NoddiSignal.signal(new NoddiParams(1, 0, 0, new double[] {0, 0, 1}),
        single(b, g));
    assertEquals(stick, exact[0], 1e-15);
  }

  @Test
  void isotropicWatsonGivesPowderAverage() {
    // kappa = 0: E_ic = int_0^1 exp(-x t^2) dt, E_ec = exp(-b (d_perp + (d_par - d_perp) / 3))
    double b = 2000;
    double vic = 0.6;
    double x = b * D_PAR;
    double powder = Math.sqrt(Math.PI / (4 * x)) * erf(Math.sqrt(x));
    double dPerp = D_PAR * (1 - vic);
    double ec = Math.exp(-b * (dPerp + (D_PAR - dPerp) / 3));
    SplittableRandom rnd = new SplittableRandom(3);
    for (int k = 0; k < 5; k++) {
      double[] g = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double n = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
      g = new double[] {g[0] / n, g[1] / n, g[2] / n};
      double[] s = NoddiSignal.signal(new NoddiParams(vic, 1, 0, new double[] {1, 2, 3}),
          single(b, g));
      assertEquals(vic * powder + (1 - vic) * ec, s[0], 1e-9);
    }
  }

  @Test
  void pureFreeWaterIsMonoExponential() {
    double[] s = NoddiSignal.signal(new NoddiParams(0.7, 0.2, 1, new double[] {0, 1, 0}),
        GradientTable.of(new double[] {0, 1000, 3000},
            new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 0, 1}}));
    assertEquals(1, s[0], 1e-15);
    assertEquals(Math.exp(-1000 * 3e-3), s[1], 1e-15);
    assertEquals(Math.exp(-3000 * 3e-3), s[2], 1e-15);
  }

  @Test
  void signalIsSymmetricUnderGradientSignFlip() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int k = 0; k < 20; k++) {
      double[] g = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
      double n = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
      double[] gp = {g[0] / n, g[1] / n, g[2] / n};
      double[] gm = {-gp[0], -gp[1], -gp[2]};
      NoddiParams p = new NoddiParams(rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble() / 2,
          new double[] {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()});
      double[] s = NoddiSignal.signal(p, GradientTable.of(new double[] {2000, 2000},
          new double[][] {gp, gm}));
      assertEquals(s[0], s[1], 1e-14);
    }
  }

  @Test
  void fullSignalMatchesCompartmentSumFromQuadrature() {
    double kappa = 5;
    double vic = 0.55;
    double viso = 0.15;
    double b = 2500;
    double alpha = 0.9;
    double[] mu = {0, 0, 1};
    double[] g = {Math.sin(alpha), 0, Math.cos(alpha)};
    double[] ref = sphereQuadrature(kappa, b * D_PAR, alpha);
    double m = ref[1];
    double dPerp = D_PAR * (1 - vic);
    double c2 = Math.cos(alpha) * Math.cos(alpha);
    double ec = Math.exp(-b * (dPerp + (D_PAR - dPerp) * (m * c2 + (1 - m) * (1 - c2) / 2)));
    double expected = (1 - viso) * (vic * ref[0] + (1 - vic) * ec)
        + viso * Math.exp(-b * 3e-3);
    double[] s = NoddiSignal.signal(NoddiParams.withKappa(vic, kappa, viso, mu), single(b, g));
    assertEquals(expected, s[0], 1e-9 * expected);
  }

  @Test
  void odiAndKappaConvertBothWays() {
    assertEquals(1.0, Watson.odiFromKappa(0), 0);
    assertEquals(0.0, Watson.odiFromKappa(Double.POSITIVE_INFINITY), 0);
    for (double odi : new double[] {0.01, 0.1, 0.5, 0.9}) {
      assertEquals(odi, Watson.odiFromKappa(Watson.kappaFromOdi(odi)), 1e-14);
    }
    assertThrows(BadArgumentException.class, () -> Watson.kappaFromOdi(1.5));
    assertThrows(BadArgumentException.class,
        () -> new NoddiParams(1.2, 0.2, 0, new double[] {1, 0, 0}));
  }

  /** erf by its Taylor series (enough for arguments up to ~5 at 1e-12 here). */
  static double erf(double z) {
    double term = z;
    double sum = z;
    for (int n = 1; n < 200; n++) {
      term *= -z * z / n;
      sum += term / (2 * n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }
}
