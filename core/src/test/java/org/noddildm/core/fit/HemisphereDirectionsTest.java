package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HemisphereDirectionsTest {
  @Test
  void bandedLookupFindsTheSameNearestAxisAsExhaustiveSearch() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int count : new int[] {7, 100, 1000}) {
      HemisphereDirections h = new HemisphereDirections(count);
      for (int k = 0; k < 2000; k++) {
        double[] d = FitSimulation.randomDirection(rng);
        int fast = h.nearest(d[0], d[1], d[2]);
        int slow = h.nearestExhaustive(d[0], d[1], d[2]);
        double[] a = h.direction(fast);
        double[] b = h.direction(slow);
        assertEquals(Math.abs(a[0] * d[0] + a[1] * d[1] + a[2] * d[2]),
            Math.abs(b[0] * d[0] + b[1] * d[1] + b[2] * d[2]), 1e-12);
      }
    }
  }
}
