package org.noddildm.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigen3Test {
  @Test
  void decomposesRandomSymmetricMatricesIntoSortedOrthonormalPairs() {
    SplittableRandom rng = new SplittableRandom(1);
    SymmetricEigen3 e = new SymmetricEigen3();
    for (int trial = 0; trial < 200; trial++) {
      double[] d = new double[6];
      for (int k = 0; k < 6; k++) {
        d[k] = rng.nextDouble(-1, 1);
      }
      double[][] a = {{d[0], d[1], d[2]}, {d[1], d[3], d[4]}, {d[2], d[4], d[5]}};
      e.decompose(d[0], d[1], d[2], d[3], d[4], d[5]);
      assertTrue(e.values[0] >= e.values[1] && e.values[1] >= e.values[2]);
      for (int c = 0; c < 3; c++) {
        double[] v = e.vector(c);
        for (int r = 0; r < 3; r++) {
          double av = a[r][0] * v[0] + a[r][1] * v[1] + a[r][2] * v[2];
          assertEquals(e.values[c] * v[r], av, 1e-12);
        }
        for (int c2 = 0; c2 < 3; c2++) {
          double[] w = e.vector(c2);
          assertEquals(c == c2 ? 1 : 0, v[0] * w[0] + v[1] * w[1] + v[2] * w[2], 1e-12);
        }
      }
    }
  }

  @Test
  void handlesCylindricallySymmetricTensorWithRepeatedEigenvalues() {
    // D = 0.3e-3 I + 1.4e-3 n n' with n = (1, 1, 0) / sqrt 2
    double p = 0.3e-3;
    double q = 1.4e-3 / 2;
    SymmetricEigen3 e = new SymmetricEigen3().decompose(p + q, q, 0, p + q, 0, p);
    assertEquals(1.7e-3, e.values[0], 1e-15);
    assertEquals(0.3e-3, e.values[1], 1e-15);
    assertEquals(0.3e-3, e.values[2], 1e-15);
    double[] v = e.vector(0);
    assertEquals(1, Math.abs(v[0] + v[1]) / Math.sqrt(2), 1e-12);
  }
}
