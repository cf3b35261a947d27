package org.noddildm.model.refine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.physics.dataset.DatasetSimulator;
import org.noddildm.core.physics.dataset.DatasetSpec;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.Engines;

class RefinerTest {
  private static final RefinerConfig SMALL = RefinerConfig.defaults().withWidth(8)
      .withBlocks(2);

  /** A refiner with small random (non-zero) output weights, so its correction is visible. */
  private static Refiner randomRefiner(NDManager m, long seed) {
    Engines.seed(seed);
    RefinerNet net = new RefinerNet(SMALL);
    net.initialize(m);
    SplittableRandom r = new SplittableRandom(seed);
    for (var p : net.getParameters().values()) {
      float[] w = p.getArray().toFloatArray();
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (0.2 * (r.nextDouble() - 0.5));
      }
      p.getArray().set(w);
    }
    return new Refiner(net, m);
  }

  private static Volume randomFeatures(Grid g, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] d = new float[g.size() * ClassicEstimate.CHANNELS];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextDouble();
    }
    return new Volume(g, ClassicEstimate.CHANNELS, d);
  }

  @Test
  void tiledCorrectionEqualsOneWholeVolumePass() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Refiner ref = randomRefiner(m, 1);
      Volume f = randomFeatures(Grid.of(13, 11, 9, 2.5), 2);
      Volume whole = ref.correction(f, 64);
      Volume tiled = ref.correction(f, 4);
      assertArrayEquals(whole.data(), tiled.data(), 1e-5f);
    }
  }

  /** The same brain inside a larger field of view (zero input around it) gives the same maps. */
  @Test
  void paddingTheFieldOfViewLeavesTheCorrectionUnchanged() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Refiner ref = randomRefiner(m, 3);
      Grid g = Grid.of(10, 9, 8, 2.5);
      Volume f = randomFeatures(g, 4);
      int pad = 5;
      Volume padded = VolumeOps.cropOrPad(f, -pad, -pad, -pad, 10 + 2 * pad, 9 + 2 * pad,
          8 + 2 * pad, 0f);
      Volume a = ref.correction(f, Refiner.TILE);
      Volume b = ref.correction(padded, Refiner.TILE);
      Volume bCropped = VolumeOps.cropOrPad(b, pad, pad, pad, 10, 9, 8, 0f);
      assertArrayEquals(a.data(), bCropped.data(), 1e-5f);
    }
  }

  @Test
  void untrainedRefinerReturnsTheClassicPipelinesAnswer() {
    DatasetSpec spec = DatasetSpec.defaults(1, 5);
    var subject = DatasetSimulator.simulate(new DatasetSpec(1, 5, 16, 16, 16, 2.5, 1,
        "clinical", null, spec.degradation(), spec.diffusivities()), 1,
        org.noddildm.core.physics.Protocol.parse("clinical").table());
    ClassicEstimate est = ClassicEstimate.of(subject.lowDwi(), subject.table(),
        subject.lowMask());
    try (NDManager m = Engines.newManager(Device.cpu())) {
      RefinerNet net = new RefinerNet(SMALL);
      net.initialize(m);
      Volume out = new Refiner(net, m).refine(est);
      Volume classic = est.upsampled(out.grid());
      for (int i = 0; i < classic.data().length; i++) {
        assertEquals(Math.min(1f, Math.max(0f, classic.data()[i])), out.data()[i], 0f);
      }
    }
  }

  @Test
  void trainingLowersTheLossAndACheckpointRestoresTheSameWeights(@TempDir Path tmp)
      throws Exception {
    DatasetSpec d = DatasetSpec.defaults(1, 7);
    var s = DatasetSimulator.simulate(new DatasetSpec(1, 7, 32, 32, 32, 2.0, 1, "clinical",
        null, d.degradation(), d.diffusivities()), 1,
        org.noddildm.core.physics.Protocol.parse("clinical").table());
    ClassicEstimate est = ClassicEstimate.of(s.lowDwi(), s.table(), s.lowMask());
    RefinerExample e = RefinerExample.of("s", est, s.phantom().maps(), s.phantom().mask(), 2);
    RefinerTrainConfig tc = RefinerTrainConfig.defaults().withSteps(40).withBatch(2)
        .withLr(3e-3).withIntervals(40, 0).withGradientWeight(0.5);
    List<RefinerTrainer.Validation> history = new ArrayList<>();
    double first;
    double last;
    try (RefinerTrainer t = new RefinerTrainer(SMALL, tc, Device.cpu())) {
      first = t.step(List.of(e)).loss();
      double sum = 0;
      for (int k = 1; k < 40; k++) {
        double l = t.step(List.of(e)).loss();
        if (k >= 30) {
          sum += l;
        }
      }
      last = sum / 10;
      RefinerCheckpoints.save(tmp, t, null, history);
      try (NDManager m = Engines.newManager(Device.cpu())) {
        Refiner a = new Refiner(t.net(), m);
        Refiner b = RefinerCheckpoints.load(tmp, m);
        assertArrayEquals(a.refine(est).data(), b.refine(est).data(), 0f);
      }
    }
    assertTrue(last < first, "mean loss of the last 10 steps " + last + " vs first " + first);
  }

  @Test
  void subVoxelChannelsBecomeTheHighResGridAsSubVoxelsLaysThemOut() {
    Grid lo = Grid.of(3, 4, 5, 2.5);
    Volume ch = randomFeatures(lo, 3);
    Volume six = new Volume(lo, 16, java.util.Arrays.copyOf(ch.data(), 16 * lo.size()));
    Volume hi = org.noddildm.core.volume.SubVoxels.fromChannels(six,
        VolumeOps.upsampledGrid(lo, 2), 2);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      var t = m.create(six.data(), new ai.djl.ndarray.types.Shape(1, 16, 5, 4, 3));
      var h = RefinerTrainer.toHighRes(t, 2);
      assertEquals(new ai.djl.ndarray.types.Shape(1, 2, 10, 8, 6), h.getShape());
      assertArrayEquals(hi.data(), h.toFloatArray(), 0f);
    }
  }

  @Test
  void gradientLossIgnoresAConstantErrorAndSeesAnEdge() {
    Grid lo = Grid.of(4, 4, 4, 2.5);
    int n = 8 * lo.size();
    float[] flat = new float[n];
    float[] edge = new float[n];
    float[] ones = new float[n];
    java.util.Arrays.fill(flat, 0.3f);
    java.util.Arrays.fill(ones, 1f);
    Volume hiEdge = Volume.zeros(VolumeOps.upsampledGrid(lo, 2), 1);
    for (int i = 0; i < hiEdge.grid().size(); i++) {
      hiEdge.data()[i] = i % 8 < 3 ? 0.5f : 0f; // x < 3 on the 8^3 grid
    }
    System.arraycopy(org.noddildm.core.volume.SubVoxels.toChannels(hiEdge, lo, 2).data(), 0,
        edge, 0, n);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      var sh = new ai.djl.ndarray.types.Shape(1, 8, 4, 4, 4);
      var w = m.create(ones, sh);
      assertEquals(0f, RefinerTrainer.gradientLoss(m.create(flat, sh), w, 2).getFloat(), 0f);
      // one step of 0.5 between x = 2 and 3 in each of 8 x 8 rows of 7 x-differences
      float expected = (float) (0.25 * 64 / (64 * 7) / 3);
      assertEquals(expected, RefinerTrainer.gradientLoss(m.create(edge, sh), w, 2).getFloat(),
          1e-6f);
    }
  }

  /**
   * NDI and ODI in free water weigh the configured weight in the loss, everything else in the
   * brain 1; validation scores the same voxels whatever that weight is.
   */
  @Test
  void freeWaterWeightAndTargetChangeTheLossButNotTheScoredVoxels() {
    DatasetSpec d = DatasetSpec.defaults(1, 7);
    var s = DatasetSimulator.simulate(new DatasetSpec(1, 7, 32, 32, 32, 2.0, 1, "clinical",
        null, d.degradation(), d.diffusivities()), 1,
        org.noddildm.core.physics.Protocol.parse("clinical").table());
    ClassicEstimate est = ClassicEstimate.of(s.lowDwi(), s.table(), s.lowMask());
    Volume truth = s.phantom().maps();
    RefinerExample half = RefinerExample.of("s", est, truth, s.phantom().mask(), 2);
    RefinerExample tenth = RefinerExample.of("s", est, truth, s.phantom().mask(), 2, 0.1,
        false);
    RefinerExample kept = RefinerExample.of("s", est, truth, s.phantom().mask(), 2, 0.1, true);
    Volume classic = est.upsampled(truth.grid());
    Volume target = org.noddildm.core.volume.SubVoxels.fromChannels(tenth.target(),
        truth.grid(), 2);
    Volume keptTarget = org.noddildm.core.volume.SubVoxels.fromChannels(kept.target(),
        truth.grid(), 2);
    Volume w = org.noddildm.core.volume.SubVoxels.fromChannels(tenth.weight(), truth.grid(), 2);
    int free = 0;
    for (int i = 0; i < truth.grid().size(); i++) {
      if (s.phantom().mask().contains(i)) {
        boolean water = truth.at(i, 2) >= RefinerExample.FREE_WATER;
        free += water ? 1 : 0;
        assertEquals(water ? 0.1f : 1f, w.at(i, 0), 1e-6f);
        assertEquals(water ? 0.1f : 1f, w.at(i, 1), 1e-6f);
        assertEquals(1f, w.at(i, 2), 0f);
        for (int k = 0; k < 3; k++) {
          float correction = truth.at(i, k) - classic.at(i, k);
          assertEquals(correction, target.at(i, k), 1e-6f);
          // with the classic target, NDI and ODI in free water keep the classic estimate
          assertEquals(water && k < 2 ? 0f : correction, keptTarget.at(i, k), 1e-6f);
        }
      } else {
        assertEquals(0f, w.at(i, 2), 0f);
      }
    }
    assertTrue(free > 0, "the phantom has free water");
    assertArrayEquals(RefinerTrainer.psnrInBrain(truth, est.upsampled(truth.grid()),
        half.weight(), 2), RefinerTrainer.psnrInBrain(truth, est.upsampled(truth.grid()),
        tenth.weight(), 2), 0);
  }

  /** A run saved before the free-water weight was a setting resumes with the 0.5 it used. */
  @Test
  void modelJsonWithoutAFreeWaterWeightReadsAsTheWeightThenUsed() {
    com.google.gson.JsonObject json = new com.google.gson.JsonObject();
    com.google.gson.JsonObject train = new Gson().toJsonTree(RefinerTrainConfig.defaults()
        .withFreeWaterWeight(0.2)).getAsJsonObject();
    json.add("train", train);
    assertEquals(0.2, RefinerCheckpoints.trainConfig(Path.of("m"), json).freeWaterWeight(), 0);
    train.remove("freeWaterWeight");
    assertEquals(RefinerTrainConfig.defaults(), RefinerCheckpoints.trainConfig(Path.of("m"), json));
    assertEquals(0.5, RefinerCheckpoints.trainConfig(Path.of("m"), json).freeWaterWeight(), 0);
  }
}
