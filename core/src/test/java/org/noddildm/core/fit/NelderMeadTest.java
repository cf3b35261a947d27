package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NelderMeadTest {
  @Test
  void findsTheRosenbrockMinimum() {
    double[] best = NelderMead.minimize(
        p -> 100 * Math.pow(p[1] - p[0] * p[0], 2) + Math.pow(1 - p[0], 2),
        new double[] {-1.2, 1}, new double[] {0.5, 0.5},
        new double[] {-5, -5}, new double[] {5, 5}, 5000, 1e-14);
    assertEquals(1, best[0], 1e-3);
    assertEquals(1, best[1], 1e-3);
    assertEquals(0, best[2], 1e-6);
  }

  @Test
  void staysInsideTheBoxAndStopsOnItsEdge() {
    double[] lower = {0, 0.2};
    double[] upper = {1, 1};
    double[] best = NelderMead.minimize(p -> {
      assertTrue(p[0] >= 0 && p[0] <= 1 && p[1] >= 0.2 && p[1] <= 1, "evaluated outside");
      return Math.pow(p[0] - 0.5, 2) + Math.pow(p[1] + 1, 2); // unconstrained minimum y = -1
    }, new double[] {0.9, 0.9}, new double[] {0.1, 0.1}, lower, upper, 2000, 1e-14);
    assertEquals(0.5, best[0], 1e-4);
    assertEquals(0.2, best[1], 1e-6);
  }
}
