package org.noddildm.model.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.physics.dataset.DatasetSimulator;
import org.noddildm.core.physics.dataset.DatasetSpec;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.refine.RefinerConfig;
import org.noddildm.model.refine.RefinerExample;
import org.noddildm.model.refine.RefinerTrainConfig;
import org.noddildm.model.refine.RefinerTrainer;
import org.noddildm.model.train.TrainingListener;

/** The prediction's promises: voxel order and field of view do not change the maps. */
class PredictorTest {
  private static DatasetSimulator.Subject subject;
  @TempDir
  static Path tmp;
  private static Path refinerDir;

  @BeforeAll
  static void setUp() throws Exception {
    DatasetSpec d = DatasetSpec.defaults(1, 11);
    subject = DatasetSimulator.simulate(new DatasetSpec(1, 11, 32, 32, 32, 2.0, 1, "clinical",
        null, d.degradation(), d.diffusivities()), 1, Protocol.parse("clinical").table());
    ClassicEstimate est = ClassicEstimate.of(subject.lowDwi(), subject.table(),
        subject.lowMask());
    RefinerExample e = RefinerExample.of("s", est, subject.phantom().maps(),
        subject.phantom().mask(), 2);
    refinerDir = tmp.resolve("refiner");
    // a few steps, so that the correction is not zero
    try (RefinerTrainer t = new RefinerTrainer(RefinerConfig.defaults().withWidth(8)
        .withBlocks(2), RefinerTrainConfig.defaults().withSteps(5).withBatch(1)
        .withIntervals(5, 0), Device.cpu())) {
      t.run(List.of(e), List.of(), refinerDir, null, new ArrayList<>(), TrainingListener.NONE);
    }
  }

  /**
   * The scan stored as (y, -x, z) of the original: voxel (i, j, k) holds original voxel
   * (nx - 1 - j, i, k); the affine keeps world positions; the FSL b-vectors become
   * (g_y, -g_x, g_z) (the new grid is still radiological, determinant negative).
   */
  private static Volume reorder(Volume v) {
    Grid g = v.grid();
    Affine m = Affine.of(new double[][] {{0, -1, 0, g.nx() - 1}, {1, 0, 0, 0}, {0, 0, 1, 0}});
    Grid ng = new Grid(g.ny(), g.nx(), g.nz(), g.affine().times(m));
    Volume out = Volume.zeros(ng, v.nt());
    for (int t = 0; t < v.nt(); t++) {
      for (int k = 0; k < ng.nz(); k++) {
        for (int j = 0; j < ng.ny(); j++) {
          for (int i = 0; i < ng.nx(); i++) {
            out.set(i, j, k, t, v.get(g.nx() - 1 - j, i, k, t));
          }
        }
      }
    }
    return out;
  }

  private static GradientTable reorder(GradientTable t) {
    double[][] g = t.bvecs();
    double[][] out = new double[g.length][];
    for (int i = 0; i < g.length; i++) {
      out[i] = new double[] {g[i][1], -g[i][0] + 0.0, g[i][2]};
    }
    return GradientTable.of(t.bvals(), out);
  }

  private static void assertSameMaps(Volume a, Volume reordered, double tol, String what) {
    Volume back = reorder(a); // a in the reordered layout
    double max = 0;
    for (int i = 0; i < back.data().length; i++) {
      max = Math.max(max, Math.abs(back.data()[i] - reordered.data()[i]));
    }
    assertTrue(max <= tol, what + ": largest difference " + max);
  }

  @Test
  void anotherVoxelOrderGivesTheSameRefinedMaps() throws Exception {
    try (Predictor p = Predictor.open(refinerDir, Device.cpu())) {
      PredictOptions o = PredictOptions.defaults();
      Volume a = p.predict(subject.lowDwi(), subject.table(), null, true, o, null).maps();
      Volume b = p.predict(reorder(subject.lowDwi()), reorder(subject.table()), null, true, o,
          null).maps();
      assertSameMaps(a, b, 0, "refine");
      assertTrue(b.grid().sameAs(VolumeOps.upsampledGrid(reorder(subject.lowDwi()).grid(), 2)));
    }
  }

  @Test
  void anotherVoxelOrderGivesTheSameDiffusionSample() throws Exception {
    try (Predictor p = Predictor.open(ShippedModel.extract(), Device.cpu())) {
      PredictOptions o = PredictOptions.defaults().withMethod(PredictOptions.Method.LDM)
          .withSampling(2, 0, 1, 5);
      Volume a = p.predict(subject.lowDwi(), subject.table(), null, true, o, null).maps();
      Volume b = p.predict(reorder(subject.lowDwi()), reorder(subject.table()), null, true, o,
          null).maps();
      assertSameMaps(a, b, 1e-6, "ldm");
    }
  }

  @Test
  void anExportedModelWithARefinerPredictsWithItByDefault() throws Exception {
    Path out = tmp.resolve("exported");
    ShippedModel.export(ShippedModel.extract(), refinerDir, out, new com.google.gson.JsonObject());
    try (Predictor shipped = Predictor.open(out, Device.cpu());
        Predictor alone = Predictor.open(refinerDir, Device.cpu())) {
      assertEquals(PredictOptions.Method.REFINE, shipped.defaultMethod());
      assertTrue(shipped.supports(PredictOptions.Method.LDM));
      PredictOptions o = PredictOptions.defaults();
      Volume a = shipped.predict(subject.lowDwi(), subject.table(), null, true, o, null).maps();
      Volume b = alone.predict(subject.lowDwi(), subject.table(), null, true, o, null).maps();
      assertArrayEquals(b.data(), a.data());
    }
  }

  @Test
  void aNonFiniteVoxelDoesNotSpreadThroughTheRefiner() throws Exception {
    Volume scan = subject.lowDwi().copy();
    int centre = scan.grid().index(scan.nx() / 2, scan.ny() / 2, scan.nz() / 2);
    int n = scan.grid().size();
    scan.data()[centre] = Float.NaN; // a b0 value
    scan.data()[centre + 10 * n] = Float.POSITIVE_INFINITY; // a weighted value
    try (Predictor p = Predictor.open(refinerDir, Device.cpu())) {
      Volume maps = p.predict(scan, subject.table(), null, true, PredictOptions.defaults(),
          null).maps();
      for (float v : maps.data()) {
        assertTrue(Float.isFinite(v) && v >= 0 && v <= 1, "map value " + v);
      }
    }
  }

  @Test
  void aLargerFieldOfViewGivesTheSameRefinedMapsInside() throws Exception {
    int pad = 6;
    Volume s = subject.lowDwi();
    Volume padded = VolumeOps.cropOrPad(s, -pad, -pad, -pad, s.nx() + 2 * pad,
        s.ny() + 2 * pad, s.nz() + 2 * pad, 0f);
    Volume mask = subject.lowMask().toVolume();
    Volume paddedMask = VolumeOps.cropOrPad(mask, -pad, -pad, -pad, s.nx() + 2 * pad,
        s.ny() + 2 * pad, s.nz() + 2 * pad, 0f);
    try (Predictor p = Predictor.open(refinerDir, Device.cpu())) {
      PredictOptions o = PredictOptions.defaults();
      Volume a = p.predict(s, subject.table(), mask, true, o, null).maps();
      Volume b = p.predict(padded, subject.table(), paddedMask, true, o, null).maps();
      Volume inner = VolumeOps.cropOrPad(b, 2 * pad, 2 * pad, 2 * pad, a.nx(), a.ny(), a.nz(),
          0f);
      double max = 0;
      for (int i = 0; i < a.data().length; i++) {
        max = Math.max(max, Math.abs(a.data()[i] - inner.data()[i]));
      }
      assertEquals(0, max, 1e-5, "largest difference inside the original field of view");
    }
  }
}
