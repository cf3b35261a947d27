package org.noddildm.model.ldm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.Prediction;
import org.noddildm.model.train.CheckpointDirectory;
import org.noddildm.model.train.StepStats;
import org.noddildm.model.train.TrainingListener;
import org.noddildm.model.unet.UnetConfig;

class LdmTrainerTest {
  private static final LdmConfig CONFIG = new LdmConfig(
      new UnetConfig(2, 3, 4, new int[] {1, 2}, 1, false, 2, 4, 5),
      org.noddildm.model.diffusion.NoiseSchedule.Kind.COSINE, 50, Prediction.V);
  private static final LdmTrainConfig TRAIN = new LdmTrainConfig(4, 2, 4, 1e-3, 0.9, 2);

  /** Two subjects with 6 x 6 x 8 latents: x_0 is a smooth function of the condition. */
  static List<LatentPair> pairs() {
    List<LatentPair> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(12);
    int n = 6 * 6 * 8;
    for (int s = 0; s < 2; s++) {
      float[] cond = new float[3 * n];
      for (int i = 0; i < cond.length; i++) {
        cond[i] = (float) r.nextGaussian();
      }
      float[] x0 = new float[2 * n];
      for (int i = 0; i < n; i++) {
        x0[i] = cond[i] - cond[n + i];
        x0[n + i] = (float) Math.tanh(cond[2 * n + i]);
      }
      out.add(new LatentPair(x0, 2, cond, 3, 6, 6, 8));
    }
    return out;
  }

  private static float[] flat(Block b) {
    List<Float> all = new ArrayList<>();
    for (var p : b.getParameters().values()) {
      for (float f : p.getArray().toFloatArray()) {
        all.add(f);
      }
    }
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  @Test
  void resumedRunEndsWithTheWeightsOfTheUninterruptedRun(@TempDir Path dir) throws Exception {
    List<LatentPair> data = pairs();
    float[] net;
    float[] emaNet;
    double lastLoss;
    try (LdmTrainer a = new LdmTrainer(CONFIG, TRAIN, Device.cpu())) {
      for (int i = 0; i < 4; i++) {
        lastLoss = a.trainStep(data);
        assertTrue(Double.isFinite(lastLoss));
      }
      net = flat(a.net());
      emaNet = flat(a.emaNet());
      assertFalse(java.util.Arrays.equals(net, emaNet), "EMA lags the live weights");
    }
    Path model = dir.resolve("ldm");
    try (LdmTrainer b = new LdmTrainer(CONFIG, TRAIN, Device.cpu())) {
      b.trainStep(data);
      int arrays = b.manager().getManagedArrays().size();
      b.trainStep(data);
      assertEquals(arrays, b.manager().getManagedArrays().size(), "a step leaves no arrays");
      LdmCheckpoints.save(model, b, null);
    }
    JsonObject json = LdmCheckpoints.readJson(model);
    assertEquals("noddi-ldm/1", json.get("format").getAsString());
    assertEquals(2, json.get("step").getAsLong());
    assertEquals(5, json.get("seed").getAsLong());
    assertEquals("cosine", json.getAsJsonObject("config").get("schedule").getAsString());
    assertTrue(json.getAsJsonObject("versions").get("engine").getAsString().contains("PyTorch"));
    assertTrue(Files.isDirectory(model.resolve("step-0000002")));
    try (LdmTrainer c = LdmCheckpoints.resume(model, Device.cpu())) {
      assertEquals(2, c.step());
      c.trainStep(data);
      c.trainStep(data);
      assertArrayEquals(net, flat(c.net()), 0f, "live weights");
      assertArrayEquals(emaNet, flat(c.emaNet()), 0f, "EMA weights");
      LdmCheckpoints.save(model, c, null);
    }
    assertFalse(Files.exists(model.resolve("step-0000002")), "older checkpoints are removed");
    try (NDManager m = Engines.newManager(Device.cpu())) {
      LdmCheckpoints.Loaded loaded = LdmCheckpoints.loadForSampling(model, m);
      assertEquals(4, loaded.step());
      assertEquals(CONFIG.unet(), loaded.config().unet());
      assertArrayEquals(emaNet, flat(loaded.net()), 0f, "sampling uses the EMA weights");
      assertEquals(Prediction.V, loaded.diffusion().prediction());
    }
  }

  @Test
  void aWarmStartTakesTheEmaWeightsOfAnotherModelAndANewOptimizer(@TempDir Path dir)
      throws Exception {
    List<LatentPair> data = pairs();
    Path model = dir.resolve("ldm");
    float[] emaNet;
    try (LdmTrainer a = new LdmTrainer(CONFIG, TRAIN, Device.cpu())) {
      a.trainStep(data);
      a.trainStep(data);
      emaNet = flat(a.emaNet());
      LdmCheckpoints.save(model, a, null);
    }
    LdmConfig otherSeed = new LdmConfig(CONFIG.unet().withSeed(9), CONFIG.schedule(),
        CONFIG.timesteps(), CONFIG.prediction());
    try (LdmTrainer b = new LdmTrainer(otherSeed, TRAIN, Device.cpu())) {
      assertFalse(java.util.Arrays.equals(emaNet, flat(b.net())), "another seed, other weights");
      assertEquals(2, LdmCheckpoints.warmStart(b, model));
      assertArrayEquals(emaNet, flat(b.net()), 0f, "live weights from the EMA");
      assertArrayEquals(emaNet, flat(b.emaNet()), 0f, "EMA weights");
      assertEquals(0, b.step(), "a new run counts its own steps");
      assertTrue(Double.isFinite(b.trainStep(data)));
    }
    LdmConfig wider = new LdmConfig(new UnetConfig(2, 3, 8, new int[] {1, 2}, 1, false, 2, 4, 5),
        CONFIG.schedule(), CONFIG.timesteps(), CONFIG.prediction());
    try (LdmTrainer c = new LdmTrainer(wider, TRAIN, Device.cpu())) {
      BadArgumentException e = assertThrows(BadArgumentException.class,
          () -> LdmCheckpoints.warmStart(c, model));
      assertTrue(e.getMessage().startsWith("--init-from: expected a diffusion model with this"
          + " run's U-Net"), e.getMessage());
    }
  }

  @Test
  void theLoopValidatesAndCheckpointsAtItsCadenceAndAcrossPhases(@TempDir Path dir)
      throws Exception {
    Path model = dir.resolve("ldm");
    JsonObject meta = new JsonObject();
    List<Long> steps = new ArrayList<>();
    List<Long> validated = new ArrayList<>();
    try (LdmTrainer t = new LdmTrainer(CONFIG, TRAIN, Device.cpu())) {
      TrainingListener l = new TrainingListener() {
        @Override
        public void onStep(StepStats s) {
          assertTrue(Double.isFinite(s.loss()));
          steps.add(s.step());
        }

        @Override
        public void onValidation(long step, String summary) {
          assertEquals("at " + step, summary, "the validator's own line");
          validated.add(step);
        }
      };
      LdmTrainer.Validator v = new LdmTrainer.Validator() {
        @Override
        public JsonObject validate(LdmTrainer tr) {
          JsonObject o = new JsonObject();
          o.addProperty("step", tr.step());
          return o;
        }

        @Override
        public String describe(JsonObject o) {
          return "at " + o.get("step").getAsLong();
        }
      };
      assertTrue(Double.isFinite(t.run(pairs(), 3, 2, v, model, meta, l)));
      assertEquals(3, LdmCheckpoints.readJson(model).get("step").getAsLong(), "the last step");
      t.setLearningRate(1e-4); // a fine-tuning phase in the same process
      t.run(pairs(), 5, 2, v, model, meta, l);
      assertTrue(Double.isNaN(t.run(pairs(), 5, 2, v, model, meta, l)), "nothing left to do");
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), steps);
    assertEquals(List.of(2L, 3L, 4L, 5L), validated, "every 2 steps and at each phase's end");
    JsonObject json = LdmCheckpoints.readJson(model);
    assertEquals(5, json.get("step").getAsLong());
    assertEquals(4, json.getAsJsonObject("data").getAsJsonArray("validation").size());
    assertEquals(0, json.getAsJsonObject("data").get("skippedSteps").getAsLong());
    assertEquals(1e-4, json.getAsJsonObject("train").get("lr").getAsDouble(), 0);
  }

  @Test
  void badSettingsAndMissingModelsGiveClearErrors(@TempDir Path dir) {
    BadArgumentException e = assertThrows(BadArgumentException.class, () -> new LdmTrainer(
        CONFIG, new LdmTrainConfig(4, 2, 3, 1e-3, 0.9, 2), Device.cpu()));
    assertTrue(e.getMessage().contains("LDM training crop: expected a multiple of 2"),
        e.getMessage());
    e = assertThrows(BadArgumentException.class, () -> new LatentPair(new float[5], 1,
        new float[8], 1, 2, 2, 2));
    assertTrue(e.getMessage().contains("expected 8 values, found 5"), e.getMessage());
    e = assertThrows(BadArgumentException.class, () -> Prediction.parse("x0"));
    assertTrue(e.getMessage().contains("expected eps or v, found x0"), e.getMessage());
    BadFileException f = assertThrows(BadFileException.class,
        () -> LdmCheckpoints.resume(dir, Device.cpu()));
    assertTrue(f.getMessage().contains("model.json"), f.getMessage());
  }

  /**
   * The noise levels are stored with the training config; a model.json from before they existed
   * reads as uniform, and a trainer trains at the stored ones.
   */
  @Test
  void noiseLevelsAreStoredAndOldTrainConfigsReadAsUniform() {
    com.google.gson.Gson gson = new com.google.gson.Gson();
    LdmTrainConfig mixed = TRAIN.withNoiseLevels(
        org.noddildm.model.diffusion.NoiseLevels.LOGNORMAL_MIX);
    com.google.gson.JsonObject j = gson.toJsonTree(mixed).getAsJsonObject();
    assertEquals("lognormal-mix", j.get("noiseLevels").getAsString());
    assertEquals(mixed, gson.fromJson(j, LdmTrainConfig.class));
    assertEquals(mixed, mixed.withSteps(4).withLr(1e-3));
    j.remove("noiseLevels");
    assertEquals(org.noddildm.model.diffusion.NoiseLevels.UNIFORM,
        gson.fromJson(j, LdmTrainConfig.class).levels());
    assertEquals("uniform", TRAIN.noiseLevels());
    try (LdmTrainer uniform = new LdmTrainer(CONFIG, TRAIN, Device.cpu());
        LdmTrainer mix = new LdmTrainer(CONFIG, mixed, Device.cpu())) {
      double a = uniform.trainStep(pairs());
      double b = mix.trainStep(pairs());
      assertTrue(Double.isFinite(a) && Double.isFinite(b) && a != b,
          "the same weights and crops at other steps give another loss: " + a + ", " + b);
    }
  }

  /** model.json keeps the names it always had ("cosine", "v"), and unknown names are refused. */
  @Test
  void configEnumsAreStoredUnderTheirOldNames() {
    com.google.gson.Gson gson = new com.google.gson.Gson();
    com.google.gson.JsonObject j = gson.toJsonTree(CONFIG).getAsJsonObject();
    assertEquals("cosine", j.get("schedule").getAsString());
    assertEquals("v", j.get("prediction").getAsString());
    assertEquals(CONFIG.schedule(), gson.fromJson(j, LdmConfig.class).schedule());
    j.addProperty("prediction", "eps");
    assertEquals(Prediction.EPSILON, gson.fromJson(j, LdmConfig.class).prediction());
    j.addProperty("schedule", "quadratic");
    com.google.gson.JsonObject json = new com.google.gson.JsonObject();
    json.add("config", j);
    BadFileException e = assertThrows(BadFileException.class, () -> CheckpointDirectory.entry(
        Path.of("ldm"), json, "config", LdmConfig.class));
    assertTrue(e.getMessage().contains("model.json: \"config\": LDM config: expected the noise"
        + " schedule linear or cosine"), e.getMessage());
  }
}
