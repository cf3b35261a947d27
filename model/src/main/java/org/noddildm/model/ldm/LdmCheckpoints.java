package org.noddildm.model.ldm;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.StrictJson;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.train.CheckpointDirectory;
import org.noddildm.model.unet.Unet3d;

/**
 * A latent diffusion model directory: {@code model.json} (format, config, training config,
 * step, seed, versions and the caller's metadata) beside {@code step-NNNNNNN/} holding the live
 * and EMA weights, Adam's moments and the counters of the latest checkpoint.
 *
 * <p>The step folder is written under a temporary name and renamed, then model.json is replaced
 * atomically to point at it, then older step folders are removed: model.json always names a
 * complete checkpoint.
 */
public final class LdmCheckpoints {
  public static final String MODEL_JSON = CheckpointDirectory.MODEL_JSON;
  public static final String FORMAT = "noddi-ldm/1";

  private LdmCheckpoints() {}

  /** A sampling-ready model: the EMA denoiser and its diffusion process. */
  public record Loaded(LdmConfig config, Unet3d net, GaussianDiffusion diffusion, long step,
      JsonObject json) {}

  /** Writes a checkpoint of {@code t}; {@code meta} is stored as model.json's "data". */
  public static void save(Path dir, LdmTrainer t, JsonObject meta) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("config", StrictJson.EXACT.toTree(t.config()));
    json.add("train", StrictJson.EXACT.toTree(t.trainConfig()));
    json.addProperty("step", t.step());
    json.addProperty("seed", t.config().unet().seed());
    json.add("data", meta == null ? new JsonObject() : meta);
    CheckpointDirectory.saveStep(dir, t.step(), tmp -> {
      Files.write(tmp.resolve("unet.params"), CheckpointDirectory.params(t.net()));
      Files.write(tmp.resolve("ema.params"), CheckpointDirectory.params(t.emaNet()));
      Files.write(tmp.resolve("adam.ndlist"), t.trainStep().adam().state().encode());
      JsonObject state = new JsonObject();
      state.addProperty("step", t.step());
      state.addProperty("adamSteps", t.trainStep().adam().stepCount());
      state.addProperty("emaUpdates", t.ema().updates());
      Files.writeString(tmp.resolve("state.json"), StrictJson.EXACT.toJson(state));
    }, json);
  }

  /** The parsed model.json of an LDM directory. */
  public static JsonObject readJson(Path dir) throws IOException {
    return CheckpointDirectory.readJson(dir, FORMAT);
  }

  /** The diffusion model's config, from its model.json. */
  public static LdmConfig config(Path dir) throws IOException {
    return CheckpointDirectory.entry(dir, readJson(dir), "config", LdmConfig.class);
  }

  /** Restores a training run exactly as saved (weights, EMA, Adam moments, counters). */
  public static LdmTrainer resume(Path dir, Device device) throws IOException {
    JsonObject json = readJson(dir);
    LdmConfig config = CheckpointDirectory.entry(dir, json, "config", LdmConfig.class);
    LdmTrainConfig train = CheckpointDirectory.entry(dir, json, "train", LdmTrainConfig.class);
    return CheckpointDirectory.resume(dir, json, new LdmTrainer(config, train, device), (t, ck) -> {
      CheckpointDirectory.load(t.net(), ck.resolve("unet.params"), t.manager());
      CheckpointDirectory.load(t.emaNet(), ck.resolve("ema.params"), t.manager());
      JsonObject state = StrictJson.read(Files.readString(ck.resolve("state.json")),
          JsonObject.class);
      try (NDManager tmp = t.manager().newSubManager()) {
        t.trainStep().adam().restore(CheckpointDirectory.readNdList(tmp,
            ck.resolve("adam.ndlist")), state.get("adamSteps").getAsLong());
      }
      t.ema().setUpdates(state.get("emaUpdates").getAsLong());
      t.setStep(state.get("step").getAsLong());
    });
  }

  /**
   * A warm start: the EMA weights of the model in {@code from} become both the weights and the
   * EMA of the new run {@code t}, whose U-Net must be the same (seed aside); its optimizer and
   * step count stay new. Returns the step of the weights taken.
   */
  public static long warmStart(LdmTrainer t, Path from) throws IOException {
    JsonObject json = readJson(from);
    LdmConfig theirs = CheckpointDirectory.entry(from, json, "config", LdmConfig.class);
    BadArgumentException.require(theirs.unet().equals(t.config().unet().withSeed(
        theirs.unet().seed())), "--init-from: expected a diffusion model with this run's U-Net "
        + t.config().unet() + ", found " + theirs.unet() + " in " + from);
    Path params = CheckpointDirectory.checkpoint(from, json).resolve("ema.params");
    CheckpointDirectory.load(t.net(), params, t.manager());
    CheckpointDirectory.load(t.emaNet(), params, t.manager());
    return json.get("step").getAsLong();
  }

  /** Loads the EMA denoiser of an LDM directory into {@code manager}, for sampling. */
  public static Loaded loadForSampling(Path dir, NDManager manager) throws IOException {
    JsonObject json = readJson(dir);
    LdmConfig config = CheckpointDirectory.entry(dir, json, "config", LdmConfig.class);
    Unet3d net = new Unet3d(config.unet());
    net.initialize(manager, 2 * config.unet().sizeMultiple());
    CheckpointDirectory.load(net, CheckpointDirectory.checkpoint(dir, json).resolve("ema.params"),
        manager);
    return new Loaded(config, net, config.diffusion(), json.get("step").getAsLong(), json);
  }
}
