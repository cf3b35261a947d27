package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeparableFilterTest {
  @Test
  void reflectRepeatsTheEdgeSampleLikeScipy() {
    // scipy 'reflect' on [a b c d]: ... b a | a b c d | d c b a | a b ...
    int[] expected = {1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 1};
    for (int i = -2; i < 10; i++) {
      assertEquals(expected[i + 2], SeparableFilter.reflect(i, 4), "index " + i);
    }
  }

  @Test
  void boxFilterOfARampAtTheBorderUsesReflectedSamples() {
    double[] row = {0, 1, 2, 3, 4};
    double[] out = SeparableFilter.apply(row, new int[] {5, 1}, SeparableFilter.boxKernel(3));
    // position 0 sees (0 [reflected], 0, 1); position 4 sees (3, 4, 4)
    assertArrayEquals(new double[] {1 / 3.0, 1, 2, 3, 11 / 3.0}, out, 1e-12);
  }

  @Test
  void gaussianKernelHasScipyRadiusAndSumsToOne() {
    double[] w = SeparableFilter.gaussianKernel(1.5, 3.5);
    assertEquals(11, w.length);
    double s = 0;
    for (double v : w) {
      s += v;
    }
    assertEquals(1, s, 1e-12);
  }
}
