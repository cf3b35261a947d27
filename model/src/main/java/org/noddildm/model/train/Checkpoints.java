package org.noddildm.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.io.StrictJson;
import org.noddildm.model.vqgan.Vqgan;
import org.noddildm.model.vqgan.VqganConfig;

/**
 * A model directory: {@code model.json} (config, training config, step, seed, versions, the
 * caller's metadata such as the target and normalisation, validation history) beside a folder
 * {@code step-NNNNNNN/} with the weights and optimizer state of the latest checkpoint.
 *
 * <p>Crash safety: the step folder is written under a temporary name and renamed, then
 * {@code model.json} is replaced atomically to point at it, then older step folders are removed.
 * At any moment {@code model.json} names a complete checkpoint.
 */
public final class Checkpoints {
  /** The model directory's description file. */
  public static final String MODEL_JSON = CheckpointDirectory.MODEL_JSON;
  public static final String FORMAT = "noddi-vqgan/1";

  private Checkpoints() {}

  /** Writes a checkpoint of {@code t}; {@code meta} is stored as model.json's "data". */
  public static void save(Path dir, VqganTrainer t, JsonObject meta,
      List<VqganTrainer.Validation> history) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("config", StrictJson.EXACT.toTree(t.config()));
    json.add("train", StrictJson.EXACT.toTree(t.trainConfig()));
    json.addProperty("step", t.step());
    json.addProperty("seed", t.config().seed());
    json.add("data", meta == null ? new JsonObject() : meta);
    json.add("validation", StrictJson.EXACT.toTree(history));
    CheckpointDirectory.saveStep(dir, t.step(), tmp -> {
      Files.write(tmp.resolve("generator.params"), CheckpointDirectory.params(t.generator()));
      Files.write(tmp.resolve("discriminator.params"), CheckpointDirectory.params(t.discriminator()));
      Files.write(tmp.resolve("adam-generator.ndlist"), t.genAdam().state().encode());
      Files.write(tmp.resolve("adam-discriminator.ndlist"), t.discAdam().state().encode());
      JsonObject state = new JsonObject();
      state.addProperty("step", t.step());
      state.addProperty("adamGeneratorSteps", t.genAdam().stepCount());
      state.addProperty("adamDiscriminatorSteps", t.discAdam().stepCount());
      state.add("codeIdleSteps", StrictJson.EXACT.toTree(t.generator().quantizer().idleSteps()));
      Files.writeString(tmp.resolve("state.json"), StrictJson.EXACT.toJson(state));
    }, json);
  }

  /** The parsed model.json of a model directory. */
  public static JsonObject readJson(Path dir) throws IOException {
    return CheckpointDirectory.readJson(dir, FORMAT);
  }

  /** The VQ-GAN's config from {@code dir}'s model.json {@code json}. */
  public static VqganConfig config(Path dir, JsonObject json) {
    return CheckpointDirectory.entry(dir, json, "config", VqganConfig.class);
  }

  /** Restores a training run exactly as saved (weights, optimizer moments, step, code usage). */
  public static VqganTrainer resume(Path dir, Device device) throws IOException {
    JsonObject json = readJson(dir);
    VqganConfig config = config(dir, json);
    TrainConfig train = CheckpointDirectory.entry(dir, json, "train", TrainConfig.class);
    return CheckpointDirectory.resume(dir, json, new VqganTrainer(config, train, device), (t, ck) -> {
      CheckpointDirectory.load(t.generator(), ck.resolve("generator.params"), t.manager());
      CheckpointDirectory.load(t.discriminator(), ck.resolve("discriminator.params"), t.manager());
      JsonObject state = StrictJson.read(Files.readString(ck.resolve("state.json")),
          JsonObject.class);
      try (NDManager tmp = t.manager().newSubManager()) {
        t.genAdam().restore(CheckpointDirectory.readNdList(tmp, ck.resolve("adam-generator.ndlist")),
            state.get("adamGeneratorSteps").getAsLong());
        t.discAdam().restore(CheckpointDirectory.readNdList(tmp,
            ck.resolve("adam-discriminator.ndlist")),
            state.get("adamDiscriminatorSteps").getAsLong());
      }
      t.generator().quantizer().setIdleSteps(StrictJson.read(state.get("codeIdleSteps"),
          int[].class));
      t.setStep(state.get("step").getAsLong());
    });
  }

  /** The validation history stored in model.json. */
  public static List<VqganTrainer.Validation> history(JsonObject json) {
    List<VqganTrainer.Validation> out = new ArrayList<>();
    if (json.has("validation")) {
      for (JsonElement e : json.getAsJsonArray("validation")) {
        out.add(StrictJson.read(e, VqganTrainer.Validation.class));
      }
    }
    return out;
  }

  /** Loads only the generator of a model directory, for inference, into {@code manager}. */
  public static Vqgan loadGenerator(Path dir, NDManager manager) throws IOException {
    JsonObject json = readJson(dir);
    VqganConfig config = config(dir, json);
    Vqgan g = new Vqgan(config);
    g.initialize(manager, 4 * config.downFactor());
    CheckpointDirectory.load(g, CheckpointDirectory.checkpoint(dir, json).resolve("generator.params"),
        manager);
    return g;
  }

}
