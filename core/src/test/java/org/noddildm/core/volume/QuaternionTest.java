package org.noddildm.core.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.io.NiftiHeader;

class QuaternionTest {
  @Test
  void qformRebuildsAnyRotationWithFlipsAndVoxelSizes() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int trial = 0; trial < 200; trial++) {
      // Random rotation from a random unit quaternion, random flips and sizes.
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      double c = rng.nextGaussian();
      double d = rng.nextGaussian();
      double n = Math.sqrt(a * a + b * b + c * c + d * d);
      a /= n;
      b /= n;
      c /= n;
      d /= n;
      double[][] r = {
        {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
        {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
        {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}
      };
      double[] size = {0.5 + rng.nextDouble() * 3, 0.5 + rng.nextDouble() * 3,
          0.5 + rng.nextDouble() * 3};
      double[] sign = {1, 1, rng.nextBoolean() ? -1 : 1};
      double[][] m = new double[3][4];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          m[i][j] = r[i][j] * size[j] * sign[j];
        }
        m[i][3] = rng.nextDouble() * 200 - 100;
      }
      Affine aff = Affine.of(m);
      NiftiHeader h = new NiftiHeader();
      h.setAffine(aff, 1, 1);
      assertEquals(1, h.qformCode);
      assertTrue(h.qformAffine().approxEquals(aff, 1e-9), () -> "trial affine\n" + aff
          + "qform\n" + h.qformAffine());
    }
  }

  @Test
  void shearedAffineGetsNoQform() {
    Affine sheared = Affine.of(new double[][] {{1, 0.3, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}});
    NiftiHeader h = new NiftiHeader();
    h.setAffine(sheared, 1, 1);
    assertEquals(0, h.qformCode);
    assertEquals(1, h.sformCode);
    assertTrue(h.affine().approxEquals(sheared, 0));
  }
}
