package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class BrainMaskTest {
  @Test
  void findsABrightBallInNoiseAndFillsItsDarkCentre() {
    Grid g = Grid.of(24, 24, 20, 2.0);
    SplittableRandom rng = new SplittableRandom(9);
    float[] b0 = new float[g.size()];
    boolean[] truth = new boolean[g.size()];
    for (int z = 0; z < 20; z++) {
      for (int y = 0; y < 24; y++) {
        for (int x = 0; x < 24; x++) {
          double r = Math.sqrt((x - 12) * (x - 12) + (y - 12) * (y - 12) + (z - 10) * (z - 10));
          int i = g.index(x, y, z);
          truth[i] = r <= 8;
          double value = r <= 8 ? (r <= 2 ? 300 : 1000) : 50; // dark ventricle in the middle
          b0[i] = (float) (value + 40 * rng.nextDouble());
        }
      }
    }
    b0[g.index(1, 1, 1)] = 5000; // an isolated bright voxel outside
    Mask m = BrainMask.medianOtsu(Volume.of(g, b0), 2);
    int agree = 0;
    for (int i = 0; i < truth.length; i++) {
      agree += truth[i] == m.contains(i) ? 1 : 0;
    }
    assertTrue(agree > 0.99 * truth.length, agree + " of " + truth.length + " voxels agree");
    assertTrue(m.contains(g.index(12, 12, 10)), "centre filled");
    assertTrue(!m.contains(g.index(1, 1, 1)), "outlier removed");
  }

  @Test
  void otsuSplitsTwoClustersBetweenThem() {
    float[] v = new float[200];
    for (int i = 0; i < 200; i++) {
      v[i] = i < 100 ? 10 + i % 5 : 100 + i % 7;
    }
    double t = BrainMask.otsu(v);
    assertTrue(t > 14 && t <= 100, "threshold " + t);
    assertEquals(0, BrainMask.otsu(new float[] {0, 0}), 0);
  }
}
