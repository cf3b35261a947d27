package org.noddildm.model.residual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class ResidualEstimatorTest {
  private static final Grid G = Grid.of(8, 8, 8, 1.25);

  private static Volume filled(float v) {
    Volume x = Volume.zeros(G, 3);
    java.util.Arrays.fill(x.data(), v);
    return x;
  }

  @Test
  void theSdGrowsWhereTheRefinerMovedTheFitAndNowhereElse() {
    Volume sd = filled(0.02f);
    Volume refined = filled(0.5f);
    Volume classic = filled(0.5f);
    Mask all = Mask.all(G);
    Volume same = ResidualEstimator.withCorrection(sd, refined, classic, all);
    for (float v : same.data()) {
      assertEquals(0.02f, v, 1e-6f, "no correction, the samples' sd");
    }
    // the refiner moved NDI at one voxel (x 4, y 4, z 4) by 0.3
    int i = (4 * 8 + 4) * 8 + 4;
    classic.data()[i] = 0.2f;
    Volume grown = ResidualEstimator.withCorrection(sd, refined, classic, all);
    // pooled over 27 voxels: d = 0.3 / sqrt(27) there and at its 26 neighbours
    double d = 0.3 / Math.sqrt(27) * ResidualEstimator.CORRECTION_WEIGHT;
    assertEquals(Math.sqrt(0.02 * 0.02 + d * d), grown.data()[i], 1e-6);
    assertEquals(0.02f, grown.data()[i + 2], 1e-6f, "two voxels away: unchanged");
    assertEquals(0.02f, grown.data()[G.size() + i], 1e-6f, "ODI: unchanged");
    assertTrue(grown.data()[i + 1] > 0.02f, "a neighbour shares it");
  }
}
