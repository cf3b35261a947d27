package org.noddildm.core.physics.degrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;

class NoiseTest {
  private static final int N = 200_000;

  @Test
  void ricianSamplesHaveTheRiceMoments() {
    double sigma = 0.05;
    for (double nu : new double[] {0, 0.05, 0.15, 1.0}) {
      SplittableRandom rnd = new SplittableRandom(42);
      double sum = 0;
      double sum2 = 0;
      for (int i = 0; i < N; i++) {
        double m = Noise.RICIAN.sample(nu, sigma, rnd);
        sum += m;
        sum2 += m * m;
      }
      double mean = sum / N;
      double second = sum2 / N;
      double expectedMean = riceMean(nu, sigma);
      double expectedSecond = nu * nu + 2 * sigma * sigma;
      double sd = Math.sqrt(expectedSecond - expectedMean * expectedMean);
      // 5 standard errors
      assertEquals(expectedMean, mean, 5 * sd / Math.sqrt(N), "mean at nu " + nu);
      assertEquals(expectedSecond, second, 5 * 2 * sigma * Math.sqrt(expectedSecond / N)
          + 1e-4 * expectedSecond, "second moment at nu " + nu);
    }
  }

  @Test
  void gaussianNoiseHasMeanNuAndVarianceSigmaSquared() {
    SplittableRandom rnd = new SplittableRandom(7);
    double nu = 0.3;
    double sigma = 0.1;
    double sum = 0;
    double sum2 = 0;
    for (int i = 0; i < N; i++) {
      double m = Noise.GAUSSIAN.sample(nu, sigma, rnd) - nu;
      sum += m;
      sum2 += m * m;
    }
    assertEquals(0, sum / N, 5 * sigma / Math.sqrt(N));
    assertEquals(sigma * sigma, sum2 / N, 5 * sigma * sigma * Math.sqrt(2.0 / N));
  }

  @Test
  void sameSeedAndVoxelGiveSameNoiseOthersDiffer() {
    float[] a = {1, 0.5f, 0.2f};
    float[] b = a.clone();
    float[] c = a.clone();
    Noise.RICIAN.apply(a, 0.1, Noise.voxelRandom(5, 17));
    Noise.RICIAN.apply(b, 0.1, Noise.voxelRandom(5, 17));
    Noise.RICIAN.apply(c, 0.1, Noise.voxelRandom(5, 18));
    assertEquals(a[1], b[1]);
    assertNotEquals(a[1], c[1]);
    assertEquals(0.02, Noise.sigma(1, 50), 1e-15);
    assertEquals(0, Noise.sigma(1, Double.POSITIVE_INFINITY));
    assertThrows(BadArgumentException.class, () -> Noise.sigma(1, 0));
    assertThrows(BadArgumentException.class, () -> Noise.parse("poisson"));
  }

  /** sigma sqrt(pi/2) L_{1/2}(-nu^2 / 2 sigma^2), L_{1/2}(x) = e^{x/2}[(1-x) I0(-x/2) - x I1(-x/2)]. */
  static double riceMean(double nu, double sigma) {
    double x = -nu * nu / (2 * sigma * sigma);
    double h = -x / 2;
    // e^{x/2} I_k(h) = e^{-h} I_k(h): use the scaled series to stay finite
    double l = (1 - x) * scaledBessel(0, h) - x * scaledBessel(1, h);
    return sigma * Math.sqrt(Math.PI / 2) * l;
  }

  /** e^{-h} I_k(h) for k = 0, 1 by the power series (h up to a few hundred), in logs. */
  static double scaledBessel(int k, double h) {
    if (h == 0) {
      return k == 0 ? 1 : 0;
    }
    double sum = 0;
    for (int m = 0; m < 2000; m++) {
      double logTerm = (2 * m + k) * Math.log(h / 2) - lgamma(m + 1) - lgamma(m + k + 1) - h;
      sum += Math.exp(logTerm);
    }
    return sum;
  }

  static double lgamma(int n) {
    double s = 0;
    for (int i = 2; i < n; i++) {
      s += Math.log(i);
    }
    return s;
  }
}
