package org.noddildm.model.diffusion;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.model.Engines;

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
  public static final String MODEL_JSON = "model.json";
  public static final String FORMAT = "noddi-ldm/1";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private LdmCheckpoints() {}

  /** A sampling-ready model: the EMA denoiser and its diffusion process. */
  public record Loaded(LdmConfig config, Unet3d net, GaussianDiffusion diffusion, long step,
      JsonObject json) {}

  /** Writes a checkpoint of {@code t}; {@code meta} is stored as model.json's "data". */
  public static void save(Path dir, LdmTrainer t, JsonObject meta) throws IOException {
    Files.createDirectories(dir);
    String name = String.format(Locale.ROOT, "step-%07d", t.step());
    Path tmp = dir.resolve(name + ".tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    Files.write(tmp.resolve("unet.params"), params(t.net()));
    Files.write(tmp.resolve("ema.params"), params(t.emaNet()));
    Files.write(tmp.resolve("adam.ndlist"), t.trainStep().adam().state().encode());
    JsonObject state = new JsonObject();
    state.addProperty("step", t.step());
    state.addProperty("adamSteps", t.trainStep().adam().stepCount());
    state.addProperty("emaUpdates", t.ema().updates());
    Files.writeString(tmp.resolve("state.json"), GSON.toJson(state));
    Path target = dir.resolve(name);
    deleteTree(target);
    Files.move(tmp, target);

    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("config", GSON.toJsonTree(t.config()));
    json.add("train", GSON.toJsonTree(t.trainConfig()));
    json.addProperty("step", t.step());
    json.addProperty("seed", t.config().unet().seed());
    json.addProperty("checkpoint", name);
    json.add("data", meta == null ? new JsonObject() : meta);
    json.add("versions", versions());
    AtomicFiles.writeString(dir.resolve(MODEL_JSON), GSON.toJson(json));
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("step-") && !n.equals(name)) {
          deleteTree(p);
        }
      }
    }
  }

  /** The parsed model.json of an LDM directory. */
  public static JsonObject readJson(Path dir) throws IOException {
    Path file = dir.resolve(MODEL_JSON);
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(dir, "expected a model directory with " + MODEL_JSON
          + ", found none");
    }
    try {
      JsonObject json = GSON.fromJson(Files.readString(file), JsonObject.class);
      String format = json.has("format") ? json.get("format").getAsString() : "none";
      if (!FORMAT.equals(format)) {
        throw new BadFileException(file, "expected format " + FORMAT + ", found " + format);
      }
      return json;
    } catch (JsonParseException | IllegalStateException e) {
      throw new BadFileException(file, "not valid JSON: " + e.getMessage());
    }
  }

  /** Restores a training run exactly as saved (weights, EMA, Adam moments, counters). */
  public static LdmTrainer resume(Path dir, Device device) throws IOException {
    JsonObject json = readJson(dir);
    LdmConfig config = GSON.fromJson(json.get("config"), LdmConfig.class);
    LdmTrainConfig train = GSON.fromJson(json.get("train"), LdmTrainConfig.class);
    Path ck = dir.resolve(json.get("checkpoint").getAsString());
    LdmTrainer t = new LdmTrainer(config, train, device);
    try {
      load(t.net(), ck.resolve("unet.params"), t.manager());
      load(t.emaNet(), ck.resolve("ema.params"), t.manager());
      JsonObject state = GSON.fromJson(Files.readString(ck.resolve("state.json")),
          JsonObject.class);
      try (NDManager tmp = t.manager().newSubManager()) {
        t.trainStep().adam().restore(NDList.decode(tmp,
            Files.readAllBytes(ck.resolve("adam.ndlist"))), state.get("adamSteps").getAsLong());
      }
      t.ema().setUpdates(state.get("emaUpdates").getAsLong());
      t.setStep(state.get("step").getAsLong());
      return t;
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** Loads the EMA denoiser of an LDM directory into {@code manager}, for sampling. */
  public static Loaded loadForSampling(Path dir, NDManager manager) throws IOException {
    JsonObject json = readJson(dir);
    LdmConfig config = GSON.fromJson(json.get("config"), LdmConfig.class);
    Unet3d net = new Unet3d(config.unet());
    net.initialize(manager, 2 * config.unet().sizeMultiple());
    load(net, dir.resolve(json.get("checkpoint").getAsString()).resolve("ema.params"), manager);
    return new Loaded(config, net, config.diffusion(), json.get("step").getAsLong(), json);
  }

  private static byte[] params(Block b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      b.saveParameters(out);
    }
    return bytes.toByteArray();
  }

  private static void load(Block b, Path file, NDManager manager) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(file, "expected the weights of the checkpoint, found none");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(
        Files.readAllBytes(file)))) {
      b.loadParameters(manager, in);
      for (var p : b.getParameters().values()) {
        p.freeze(false); // loaded arrays come without gradients; trainable again
      }
    } catch (MalformedModelException e) {
      throw new BadFileException(file, "weights do not match the config: " + e.getMessage());
    }
  }

  private static JsonObject versions() {
    JsonObject v = new JsonObject();
    v.addProperty("engine", Engines.describe());
    v.addProperty("djl", Engine.getDjlVersion());
    v.addProperty("java", System.getProperty("java.version"));
    v.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return v;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
