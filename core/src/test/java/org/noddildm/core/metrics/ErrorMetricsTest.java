package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class ErrorMetricsTest {
  private static final Grid G = Grid.of(2, 2, 1, 1.0);

  @Test
  void knownErrorsGiveKnownMseMaeAndPsnr() {
    Volume ref = Volume.of(G, new float[] {0, 0.5f, 1, 1});
    Volume test = Volume.of(G, new float[] {0.1f, 0.5f, 0.8f, 1});
    double mse = (0.01 + 0.04) / 4;
    assertEquals(mse, ErrorMetrics.mse(ref, test, 0, null), 1e-7);
    assertEquals(0.3 / 4, ErrorMetrics.mae(ref, test, 0, null), 1e-7);
    assertEquals(10 * Math.log10(1 / mse), ErrorMetrics.psnr(ref, test, 0, null, 1.0), 1e-5);
    assertEquals(1.0, ErrorMetrics.referenceRange(ref, 0, null));
  }

  /** Over every volume: two volumes, each with a constant error of 0.1, give 20 dB. */
  @Test
  void wholeImagePsnrAndRangeSpanEveryVolume() {
    Volume ref = new Volume(G, 2, new float[] {0, 0.5f, 1, 0.25f, 2, 0, 0, 0});
    Volume test = new Volume(G, 2, new float[] {0.1f, 0.6f, 1.1f, 0.35f, 1.9f, -0.1f, 0.1f,
        0.1f});
    assertEquals(20.0, ErrorMetrics.psnr(ref, test, 1.0), 1e-5);
    assertEquals(2.0, ErrorMetrics.referenceRange(ref));
  }

  @Test
  void maskedMetricsUseOnlyVoxelsInside() {
    Volume ref = Volume.of(G, new float[] {0, 0.5f, 1, 1});
    Volume test = Volume.of(G, new float[] {0.1f, 0.5f, 0.8f, 1});
    Mask m = new Mask(G, new boolean[] {false, true, true, false});
    assertEquals(0.04 / 2, ErrorMetrics.mse(ref, test, 0, m), 1e-7);
    assertEquals(0.2 / 2, ErrorMetrics.mae(ref, test, 0, m), 1e-7);
  }

  @Test
  void identicalImagesHaveInfinitePsnrAndUnitSsim() {
    SplittableRandom rng = new SplittableRandom(5);
    Grid g = Grid.of(9, 9, 9, 1.0);
    float[] d = new float[g.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) rng.nextDouble();
    }
    Volume v = Volume.of(g, d);
    assertEquals(Double.POSITIVE_INFINITY, ErrorMetrics.psnr(v, v, 0, null, 1.0));
    assertEquals(1.0, Ssim.compute(v, v, 0, 1.0, SsimOptions.defaults()).mean(), 1e-12);
  }

  @Test
  void evaluationRejectsMismatchedGridsAndMapCounts() {
    Grid g = Grid.of(8, 8, 8, 1.0);
    Volume three = Volume.zeros(g, 3);
    Volume two = Volume.zeros(g, 2);
    var e = assertThrows(BadArgumentException.class, () -> MapEvaluation.evaluate(three, two,
        null, 1.0, SsimOptions.defaults()));
    assertTrue(e.getMessage().contains("3 and 2"), e.getMessage());
    Volume shifted = Volume.zeros(g.withAffine(Affine.scaling(2, 2, 2)), 3);
    e = assertThrows(BadArgumentException.class, () -> MapEvaluation.evaluate(three, shifted,
        null, 1.0, SsimOptions.defaults()));
    assertTrue(e.getMessage().contains("different affines"), e.getMessage());
  }

  @Test
  void evaluationNamesNoddiMapsAndAveragesThem() {
    SplittableRandom rng = new SplittableRandom(6);
    Grid g = Grid.of(8, 8, 8, 1.0);
    Volume ref = Volume.zeros(g, 3);
    Volume pred = Volume.zeros(g, 3);
    for (int i = 0; i < ref.data().length; i++) {
      ref.data()[i] = (float) rng.nextDouble();
      pred.data()[i] = ref.data()[i] + (float) (0.05 * rng.nextGaussian());
    }
    List<MapScores> s = MapEvaluation.evaluate(pred, ref, Mask.all(g), 1.0,
        SsimOptions.defaults());
    assertEquals(List.of("NDI", "ODI", "FWF"), s.stream().map(MapScores::name).toList());
    MapScores mean = MapScores.mean("mean", s);
    assertEquals((s.get(0).psnr() + s.get(1).psnr() + s.get(2).psnr()) / 3, mean.psnr(), 1e-12);
    assertEquals(26, mean.psnr(), 0.5); // sigma 0.05 on range 1: 10 log10(1 / 0.0025)
  }

  @Test
  void tissueSummariesGroupVoxelsByLabel() {
    Grid g = Grid.of(4, 1, 1, 1.0);
    Volume ref = Volume.of(g, new float[] {0.5f, 0.2f, 0.4f, 0.9f});
    Volume pred = Volume.of(g, new float[] {0.5f, 0.3f, 0.4f, 0.7f});
    Volume labels = Volume.of(g, new float[] {0, 1, 1, 3});
    List<TissueSummary> s = TissueSummary.of(pred, ref, 0, labels, 1.0);
    assertEquals(2, s.size());
    assertEquals("CSF", s.get(0).tissue());
    assertEquals(2, s.get(0).voxels());
    assertEquals(0.05, s.get(0).mae(), 1e-6);
    assertEquals("WM", s.get(1).tissue());
    assertEquals(0.2, s.get(1).mae(), 1e-6);
  }
}
