package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class SampleMetricsTest {
  private static final Grid G = Grid.of(32, 32, 32, 1);
  private static final Mask ALL = Mask.above(filled(1), 0f);

  @Test
  void aLinearRampHasNoLaplacianAndNoiseHasMuch() {
    Volume ramp = Volume.zeros(G, 1);
    for (int i = 0; i < G.size(); i++) {
      ramp.data()[i] = 0.01f * (i % 32) + 0.02f * (i / 1024);
    }
    assertEquals(0, SampleMetrics.laplacianRms(ramp, 0, ALL), 1e-5);
    Volume noise = noise(1, 0.1);
    // white noise of sd s: the Laplacian has variance (6^2 + 6) s^2
    assertEquals(Math.sqrt(42) * 0.1, SampleMetrics.laplacianRms(noise, 0, ALL), 0.02);
    assertEquals(1, SampleMetrics.detailRatio(noise, noise(2, 0.1), 0, ALL), 0.03);
  }

  @Test
  void whiteNoiseHasAFlatSpectrumAndSmoothNoiseALowOne() {
    Volume zero = filled(0);
    double[] white = SampleMetrics.bandPowerRatio(noise(3, 0.1), noise(4, 0.1), zero, 0, ALL);
    assertArrayEquals(new double[] {1, 1, 1}, white, 0.1);
    Volume smooth = smooth(noise(5, 0.1));
    double[] r = SampleMetrics.bandPowerRatio(smooth, noise(6, 0.1), zero, 0, ALL);
    assertTrue(r[0] > 5 * r[2], java.util.Arrays.toString(r));
    // a field equal to the point estimate has no deviation at all
    assertEquals(0, SampleMetrics.bandPower(smooth, smooth, 0, ALL)[1], 0.0);
  }

  @Test
  void aCalibratedSpreadScoresOneAndAMonotoneOneRanksPerfectly() {
    Volume truth = filled(0.5);
    Volume point = noise(7, 0.05);
    float[] sd = new float[G.size()];
    for (int i = 0; i < sd.length; i++) {
      point.data()[i] += 0.5f;
      sd[i] = Math.abs(point.data()[i] - 0.5f);
    }
    Volume s = new Volume(G, 1, sd);
    assertEquals(1, SampleMetrics.spreadSkill(s, point, truth, 0, ALL), 1e-6);
    assertEquals(1, SampleMetrics.spearman(s, point, truth, 0, ALL), 1e-9);
    Volume twice = new Volume(G, 1, sd.clone());
    for (int i = 0; i < sd.length; i++) {
      twice.data()[i] = (float) Math.sqrt(sd[i]); // monotone: same ranks
    }
    assertEquals(1, SampleMetrics.spearman(twice, point, truth, 0, ALL), 1e-9);
    assertEquals(0, SampleMetrics.spearman(noise(8, 1), point, truth, 0, ALL), 0.05);
    // Pearson sees the values, not only their ranks
    assertEquals(1, SampleMetrics.pearson(s, point, truth, 0, ALL), 1e-9);
    assertTrue(SampleMetrics.pearson(twice, point, truth, 0, ALL) < 0.999);
    assertTrue(Double.isNaN(SampleMetrics.pearson(filled(0.1), point, truth, 0, ALL)),
        "a flat sd has no correlation");
  }

  @Test
  void coverageCountsTheTruthInsideTheInterval() {
    Volume truth = noise(9, 1);
    Volume lo = filled(-1.645f);
    Volume hi = filled(1.645f);
    assertEquals(0.90, SampleMetrics.coverage(lo, hi, truth, 0, ALL), 0.01);
  }

  @Test
  void boundsAreMeanPlusKSdClippedToTheMapsRange() {
    Volume mean = filled(0.5);
    Volume sd = filled(0.2);
    assertEquals(0.5 + 1.645 * 0.2, SampleMetrics.bound(mean, sd, 1.645).at(7, 0), 1e-6);
    assertEquals(0, SampleMetrics.bound(mean, sd, -3).at(7, 0), 0.0);
    assertEquals(1, SampleMetrics.bound(mean, sd, 3).at(7, 0), 0.0);
  }

  @Test
  void tiesShareTheirMeanRank() {
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, SampleMetrics.ranks(
        new double[] {0.1, 0.5, 0.5, 0.9}), 0.0);
  }

  private static Volume filled(double v) {
    Volume x = Volume.zeros(G, 1);
    java.util.Arrays.fill(x.data(), (float) v);
    return x;
  }

  private static Volume noise(long seed, double sd) {
    SplittableRandom r = new SplittableRandom(seed);
    Volume x = Volume.zeros(G, 1);
    for (int i = 0; i < G.size(); i++) {
      x.data()[i] = (float) (sd * r.nextGaussian());
    }
    return x;
  }

  /** Three passes of a 3-point box along each axis. */
  private static Volume smooth(Volume v) {
    float[] a = v.data().clone();
    int[] st = {1, 32, 1024};
    for (int pass = 0; pass < 3; pass++) {
      for (int s : st) {
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
          int c = (i / s) % 32;
          float l = c > 0 ? a[i - s] : a[i];
          float r = c < 31 ? a[i + s] : a[i];
          b[i] = (l + a[i] + r) / 3;
        }
        a = b;
      }
    }
    return new Volume(v.grid(), 1, a);
  }
}
