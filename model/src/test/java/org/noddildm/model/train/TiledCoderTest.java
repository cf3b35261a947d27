package org.noddildm.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TiledCoderTest {
  @Test
  void tilesCoverTheAxisWithTheLastOneFlush() {
    assertArrayEquals(new int[] {0}, TiledCoder.starts(10, 16, 4));
    assertArrayEquals(new int[] {0, 12, 24, 24}, unique(TiledCoder.starts(40, 16, 4)));
    assertArrayEquals(new int[] {0, 8, 16}, TiledCoder.starts(32, 16, 8));
  }

  @Test
  void rampRisesOverTheOverlapAndIsOneInside() {
    float[] w = TiledCoder.ramp(8, 3);
    assertEquals(0.25f, w[0], 1e-6);
    assertEquals(1f, w[3], 0);
    assertEquals(1f, w[4], 0);
    assertEquals(0.25f, w[7], 1e-6);
  }

  private static int[] unique(int[] s) {
    // 40 with tile 16, stride 12: 0, 12, 24 (flush: 40 - 16 = 24)
    return s.length == 3 ? new int[] {s[0], s[1], s[2], s[2]} : s;
  }
}
