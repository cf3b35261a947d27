package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class LocalSpreadTest {
  private static final Grid G = Grid.of(12, 10, 8, 1.0);

  @Test
  void aConstantSpreadStaysAndTheOutsideIsZeroAndLeftOut() {
    Volume sd = Volume.zeros(G, 1);
    boolean[] in = new boolean[G.size()];
    for (int i = 0; i < G.size(); i++) {
      in[i] = i % G.nx() < 6;
      // 0.3 in the brain, 5 outside it: the outside must not leak in
      sd.data()[i] = in[i] ? 0.3f : 5f;
    }
    Volume p = LocalSpread.pooled(sd, new Mask(G, in), 3);
    for (int i = 0; i < G.size(); i++) {
      assertEquals(in[i] ? 0.3f : 0f, p.data()[i], 1e-6f, "voxel " + i);
    }
  }

  @Test
  void poolingTakesOutTheScatterOfFewSamplesAndKeepsTheLevel() {
    // sd of 4 draws from N(0, 0.1^2) per voxel: scattered around 0.1 by about 40%
    SplittableRandom r = new SplittableRandom(3);
    Volume sd = Volume.zeros(G, 1);
    for (int i = 0; i < G.size(); i++) {
      double[] x = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
      double m = (x[0] + x[1] + x[2] + x[3]) / 4;
      double ss = 0;
      for (double v : x) {
        ss += (v - m) * (v - m);
      }
      sd.data()[i] = (float) (0.1 * Math.sqrt(ss / 3));
    }
    Volume p = LocalSpread.pooled(sd, null, 3);
    assertTrue(relativeScatter(p) < relativeScatter(sd) / 2.5, relativeScatter(sd) + " -> "
        + relativeScatter(p));
    assertEquals(rms(sd), rms(p), 0.1 * rms(sd), "the level stays");
    assertThrows(BadArgumentException.class, () -> LocalSpread.pooled(sd, null, 2));
  }

  private static double rms(Volume v) {
    double s = 0;
    for (float x : v.data()) {
      s += x * x;
    }
    return Math.sqrt(s / v.data().length);
  }

  private static double relativeScatter(Volume v) {
    double m = 0;
    for (float x : v.data()) {
      m += x;
    }
    m /= v.data().length;
    double s = 0;
    for (float x : v.data()) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.data().length) / m;
  }

  @Test
  void twoSpreadsAddInQuadrature() {
    Volume a = Volume.zeros(G, 1);
    Volume b = Volume.zeros(G, 1);
    a.data()[0] = 3f;
    b.data()[0] = 2f;
    b.data()[1] = 1f;
    Volume c = LocalSpread.combined(a, b, 2.0);
    assertEquals(5f, c.data()[0], 1e-6f);
    assertEquals(2f, c.data()[1], 1e-6f);
    assertEquals(0f, c.data()[2], 0f);
    assertThrows(BadArgumentException.class, () -> LocalSpread.combined(a, Volume.zeros(G, 2),
        1));
  }
}
