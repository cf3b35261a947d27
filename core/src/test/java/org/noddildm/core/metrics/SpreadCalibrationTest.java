package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class SpreadCalibrationTest {
  private static final Grid G = Grid.of(24, 24, 24, 1);

  /** A point estimate (white matter: NDI 0.6, ODI 0.3, FWF 0.1) whose sd is k times too small. */
  private static Volume[] subject(long seed, double k) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = G.size();
    float[] point = new float[3 * n];
    float[] sd = new float[3 * n];
    float[] truth = new float[3 * n];
    double[] base = {0.6, 0.3, 0.1};
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < n; i++) {
        point[t * n + i] = (float) base[t];
        sd[t * n + i] = (float) (0.005 + 0.02 * r.nextDouble());
        truth[t * n + i] = (float) (base[t] + k * sd[t * n + i] * r.nextGaussian());
      }
    }
    return new Volume[] {new Volume(G, 3, truth), new Volume(G, 3, point), new Volume(G, 3, sd)};
  }

  @Test
  void anSdThreeTimesTooSmallGetsAScaleOfThreeTimesTheNormalQuantile() {
    Mask all = Mask.above(Volume.zeros(G, 1), -1f);
    SpreadCalibration.Builder b = new SpreadCalibration.Builder();
    for (long s = 1; s <= 2; s++) {
      Volume[] v = subject(s, 3);
      b.add(v[0], v[1], v[2], all);
    }
    SpreadCalibration c = b.build(0.9, "two synthetic subjects");
    for (int t = 0; t < 3; t++) {
      assertEquals(3 * 1.6449, c.scale()[t][1], 0.1, "map " + t + " in white matter");
      // no csf or gm voxels: those classes take the map's pooled scale
      assertEquals(c.scale()[t][1], c.scale()[t][0], 0.0);
      assertEquals(0, c.count()[t][0]);
    }
    // on a new subject the interval covers 90% and the calibrated sd matches the error
    Volume[] v = subject(3, 3);
    SpreadCalibration.Interval iv = c.apply(v[1], v[2]);
    for (int t = 0; t < 3; t++) {
      double cov = SampleMetrics.coverage(iv.lower(), iv.upper(), v[0], t, all);
      assertEquals(0.90, cov, 0.01, "coverage of map " + t);
      double ss = SampleMetrics.spreadSkill(iv.sd(), v[1], v[0], t, all);
      assertEquals(1, ss, 0.05, "spread-skill of map " + t);
    }
    assertTrue(c.describe().contains("calibrated on two synthetic subjects"), c.describe());
  }

  /** As {@link #subject}, but one voxel in ten errs five times as much (heavy tails). */
  private static Volume[] heavyTailed(long seed) {
    Volume[] v = subject(seed, 1);
    SplittableRandom r = new SplittableRandom(seed + 100);
    float[] truth = v[0].data();
    float[] point = v[1].data();
    for (int i = 0; i < truth.length; i++) {
      if (r.nextDouble() < 0.1) {
        truth[i] = point[i] + 5 * (truth[i] - point[i]);
      }
    }
    return v;
  }

  @Test
  void withHeavyTailsTheSdMatchesTheRmsErrorWhileTheIntervalStillCovers() {
    Mask all = Mask.above(Volume.zeros(G, 1), -1f);
    SpreadCalibration.Builder b = new SpreadCalibration.Builder();
    for (long s = 1; s <= 2; s++) {
      Volume[] v = heavyTailed(s);
      b.add(v[0], v[1], v[2], all);
    }
    SpreadCalibration c = b.build(0.9, "heavy tails");
    SpreadCalibration intervalOnly = new SpreadCalibration(c.level(), c.scale(), c.count(),
        c.data());
    Volume[] v = heavyTailed(3);
    SpreadCalibration.Interval iv = c.apply(v[1], v[2]);
    SpreadCalibration.Interval old = intervalOnly.apply(v[1], v[2]);
    for (int t = 0; t < 3; t++) {
      assertEquals(0.90, SampleMetrics.coverage(iv.lower(), iv.upper(), v[0], t, all), 0.01);
      assertEquals(1, SampleMetrics.spreadSkill(iv.sd(), v[1], v[0], t, all), 0.05);
      // c sd / z, the normal reading of the interval, understates these errors' RMS
      assertTrue(SampleMetrics.spreadSkill(old.sd(), v[1], v[0], t, all) < 0.8);
      assertEquals(iv.lower().at(5, t), old.lower().at(5, t), 0f);
    }
    assertTrue(c.describe().contains("RMS the RMS error"), c.describe());
  }

  @Test
  void aSampleTooCloseToItsCenterIsMovedOutToTheTruthsDeviation() {
    Mask all = Mask.above(Volume.zeros(G, 1), -1f);
    SplittableRandom r = new SplittableRandom(7);
    int n = G.size();
    float[] center = new float[3 * n];
    float[] truth = new float[3 * n];
    float[] sample = new float[3 * n];
    for (int i = 0; i < 3 * n; i++) {
      center[i] = i < 2 * n ? 0.5f : 0.2f;
      double dev = 0.05 * r.nextGaussian();
      truth[i] = (float) (center[i] + dev);
      // a sample deviating the same way as the truth, but at half its size
      sample[i] = (float) (center[i] + 0.5 * 0.05 * r.nextGaussian());
    }
    Volume c = new Volume(G, 3, center);
    Volume s = new Volume(G, 3, sample);
    SpreadCalibration cal = new SpreadCalibration.Builder()
        .add(new Volume(G, 3, truth), c, Volume.zeros(G, 3), all)
        .addSample(new Volume(G, 3, truth), s, c, all).build(0.9, "x");
    for (int t = 0; t < 3; t++) {
      assertEquals(2, cal.sampleScale()[t], 0.05, "map " + t);
    }
    Volume moved = cal.inflate(s, c);
    int i = 123;
    assertEquals(center[i] + cal.sampleScale()[0] * (sample[i] - center[i]), moved.at(i, 0),
        1e-6);
    // clipped to the maps' range
    float[] far = sample.clone();
    far[2 * n + 5] = 0f;
    assertEquals(0, cal.inflate(new Volume(G, 3, far), c).at(5, 2), 0f);
    // without samples added there is no sample scale
    assertEquals(null, new SpreadCalibration.Builder().add(new Volume(G, 3, truth), c,
        Volume.zeros(G, 3), all).build(0.9, "x").sampleScale());
    assertTrue(cal.describe().contains("one sample's deviation from the posterior mean x "),
        cal.describe());
  }

  @Test
  void theConformalQuantileIsTheCeilOfNPlusOneTimesTheLevel() {
    double[] s = {5, 1, 4, 2, 3, 6, 8, 7, 10, 9};
    // n = 10, level 0.9: ceil(11 * 0.9) = 10th smallest
    assertEquals(10, SpreadCalibration.quantile(s, 0.9), 0.0);
    assertEquals(6, SpreadCalibration.quantile(s, 0.5), 0.0); // ceil(5.5) = 6th
    assertEquals(1.6449, SpreadCalibration.normalQuantile(0.95), 1e-4);
    assertEquals(-2.3263, SpreadCalibration.normalQuantile(0.01), 1e-4);
  }
}
