package org.noddildm.core.physics.anatomy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntensityMixtureTest {
  @Test
  void recoversThreeKnownClassesFromSeededIntensities() {
    SplittableRandom rnd = new SplittableRandom(4);
    double[] mean = {30, 80, 110};
    double[] sd = {6, 7, 5};
    int[] count = {6000, 14000, 10000};
    float[] v = new float[30000];
    int k = 0;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < count[c]; i++) {
        v[k++] = (float) (mean[c] + sd[c] * rnd.nextGaussian());
      }
    }
    boolean[] inside = new boolean[v.length];
    Arrays.fill(inside, true);
    IntensityMixture m = IntensityMixture.fit(v, inside, 3, 100);
    for (int c = 0; c < 3; c++) {
      assertEquals(mean[c], m.mean()[c], 1.0, "mean " + c);
      assertEquals(sd[c], m.sd()[c], 1.0, "sd " + c);
      assertEquals(count[c] / 30000.0, m.weight()[c], 0.02, "weight " + c);
    }
  }

  @Test
  void posteriorsArePartitionsAndPureBeyondTheOuterMeans() {
    IntensityMixture m = new IntensityMixture(new double[] {0.2, 0.5, 0.3},
        new double[] {30, 80, 110}, new double[] {10, 8, 5});
    double[] r = new double[3];
    for (double x = -50; x <= 300; x += 0.5) {
      m.posterior(x, r);
      assertEquals(1, r[0] + r[1] + r[2], 1e-12);
      assertTrue(r[0] >= 0 && r[1] >= 0 && r[2] >= 0);
    }
    m.posterior(5, r);
    assertEquals(1, r[0], 1e-12); // a whole sd below the CSF mean: pure CSF
    m.posterior(400, r);
    assertEquals(1, r[2], 1e-12); // far above the WM mean: pure WM, not a wide CSF tail
    m.posterior(100, r);
    assertTrue(r[1] > 0.1 && r[2] > 0.1, "a gray-white boundary intensity mixes both");
  }
}
