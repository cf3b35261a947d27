package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class ErrorModelTest {
  private static final Grid G = Grid.of(12, 12, 12, 1);
  private static final int K = ErrorFeatures.NAMES.size();

  /**
   * A subject whose abs error is exactly exp(-2 + f0) - eps for map t, f0 the first feature
   * (drawn in -3..-1), the other features noise that the error does not depend on.
   */
  private static ErrorModel.Example subject(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = G.size();
    float[] f = new float[3 * K * n];
    float[] point = new float[3 * n];
    float[] truth = new float[3 * n];
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < K; k++) {
          f[(t * K + k) * n + i] = (float) (k == 0 ? -3 + 2 * r.nextDouble() : r.nextGaussian());
        }
        double e = Math.exp(-2 + f[t * K * n + i]) - ErrorFeatures.EPS;
        point[t * n + i] = 0.3f;
        truth[t * n + i] = (float) (0.3 + (r.nextBoolean() ? e : -e));
      }
    }
    // FWF 0.3 everywhere: NDI and ODI are fitted in every voxel
    return new ErrorModel.Example(new Volume(G, 3, truth), new Volume(G, 3, point),
        new Volume(G, 3 * K, f), Mask.all(G));
  }

  @Test
  void recoversTheLogLinearLawOfTheAbsError() {
    ErrorModel m = ErrorModel.fit(List.of(subject(1), subject(2)));
    for (int t = 0; t < 3; t++) {
      assertEquals(-2, m.weights()[t][0], 1e-3, "intercept of map " + t);
      assertEquals(1, m.weights()[t][1], 1e-3, "weight of the first feature, map " + t);
      for (int k = 2; k <= K; k++) {
        assertEquals(0, m.weights()[t][k], 1e-3, "weight of feature " + (k - 1));
      }
    }
    // and its sd is that law (up to eps), 0 outside the brain
    ErrorModel.Example e = subject(3);
    boolean[] half = new boolean[G.size()];
    half[7] = true;
    Volume sd = m.sd(e.features(), new Mask(G, half));
    assertEquals(Math.exp(-2 + e.features().at(7, 0)), sd.at(7, 0), 1e-4);
    assertEquals(0, sd.at(8, 0), 0f);
  }

  @Test
  void noddiAndOdiAreFittedOnlyWhereTheTrueFreeWaterIsBelowItsThreshold() {
    ErrorModel.Example e = subject(4);
    float[] truth = e.truth().data();
    int n = G.size();
    // free water everywhere but in the first 500 voxels, whose NDI error is made huge
    for (int i = 0; i < n; i++) {
      truth[2 * n + i] = i < 500 ? 0.3f : 0.95f;
      if (i >= 500) {
        truth[i] = 0.9f;
      }
    }
    ErrorModel m = ErrorModel.fit(List.of(e));
    assertEquals(1, m.weights()[0][1], 1e-3);
  }

  @Test
  void theGradientOfARampIsItsSlope() {
    Grid g = Grid.of(6, 5, 4, 1);
    float[] d = new float[3 * g.size()];
    for (int z = 0; z < 4; z++) {
      for (int y = 0; y < 5; y++) {
        for (int x = 0; x < 6; x++) {
          d[g.index(x, y, z) + g.size()] = 0.1f * x + 0.2f * z;
        }
      }
    }
    float[] grad = ErrorFeatures.gradientMagnitude(new Volume(g, 3, d), 1);
    for (float v : grad) {
      assertEquals(Math.hypot(0.1, 0.2), v, 1e-5);
    }
    assertEquals(0, ErrorFeatures.gradientMagnitude(new Volume(g, 3, d), 0)[7], 0f);
  }

  @Test
  void allFeaturesHoldEachMapsFeaturesInOrder() {
    SplittableRandom r = new SplittableRandom(5);
    int n = G.size();
    float[] maps = new float[3 * n];
    float[] classic = new float[3 * n];
    float[] sd = new float[3 * n];
    for (int i = 0; i < 3 * n; i++) {
      maps[i] = (float) r.nextDouble();
      classic[i] = (float) r.nextDouble();
      sd[i] = (float) (0.01 * r.nextDouble());
    }
    ErrorFeatures f = new ErrorFeatures(new Volume(G, 3, sd), new Volume(G, 3, maps),
        new Volume(G, 3, classic), Mask.all(G), 3);
    Volume all = f.all();
    assertEquals(3 * K, all.nt());
    float[][] odi = f.of(1);
    for (int k = 0; k < K; k++) {
      assertEquals(odi[k][17], all.at(17, K + k), 0f);
    }
    // the spread is the first feature, the partial volume the last
    assertEquals(Math.log(sd[n + 17] + ErrorFeatures.EPS), odi[0][17], 1e-6);
    double fwf = maps[2 * n + 17];
    assertEquals(fwf * (1 - fwf), odi[K - 1][17], 1e-6);
    assertTrue(odi[1][17] > Math.log(ErrorFeatures.EPS), "a correction where the maps differ");
  }
}
