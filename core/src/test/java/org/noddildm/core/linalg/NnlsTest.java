package org.noddildm.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NnlsTest {
  private static double[] randomMatrix(SplittableRandom rng, int m, int n) {
    double[] a = new double[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextDouble();
    }
    return a;
  }

  private static double[] atY(double[] a, int m, int n, double[] y, double lambda1) {
    double[] c = new double[n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        c[j] += a[i * n + j] * y[i];
      }
      c[j] -= lambda1;
    }
    return c;
  }

  @Test
  void recoversSparseNonNegativeWeightsExactly() {
    SplittableRandom rng = new SplittableRandom(3);
    int m = 40;
    int n = 12;
    double[] a = randomMatrix(rng, m, n);
    double[] truth = new double[n];
    truth[2] = 0.7;
    truth[9] = 1.3;
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        y[i] += a[i * n + j] * truth[j];
      }
    }
    Nnls nnls = new Nnls(Nnls.gram(a, m, n, 0), n);
    double[] x = new double[n];
    assertTrue(nnls.solve(atY(a, m, n, y, 0), x, new Nnls.Workspace(n)) >= 0);
    for (int j = 0; j < n; j++) {
      assertEquals(truth[j], x[j], 1e-5);
    }
  }

  @Test
  void satisfiesKarushKuhnTuckerConditionsWithPenalties() {
    SplittableRandom rng = new SplittableRandom(4);
    int m = 30;
    int n = 20;
    for (double[] lambdas : new double[][] {{0, 0}, {0.5, 0}, {0, 0.1}, {0.2, 0.05}}) {
      double[] a = randomMatrix(rng, m, n);
      double[] y = new double[m];
      for (int i = 0; i < m; i++) {
        y[i] = rng.nextDouble(-1, 2);
      }
      float[] h = Nnls.gram(a, m, n, lambdas[1]);
      double[] c = atY(a, m, n, y, lambdas[0]);
      double[] x = new double[n];
      new Nnls(h, n).solve(c, x, new Nnls.Workspace(n));
      // gradient of 0.5 x'Hx - c'x: zero where x > 0, non-negative where x = 0
      for (int j = 0; j < n; j++) {
        assertTrue(x[j] >= 0);
        double g = -c[j];
        for (int k = 0; k < n; k++) {
          g += h[j * n + k] * x[k];
        }
        if (x[j] > 0) {
          assertEquals(0, g, 1e-4);
        } else {
          assertTrue(g > -1e-4, "gradient " + g + " at a zero weight");
        }
      }
    }
  }
}
