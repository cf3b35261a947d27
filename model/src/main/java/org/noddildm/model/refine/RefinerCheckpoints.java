package org.noddildm.model.refine;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.noddildm.core.io.StrictJson;
import org.noddildm.model.train.CheckpointDirectory;

/**
 * A refiner's model directory: model.json (format {@value #FORMAT}: config, schedule, step,
 * seed, the training data and validation history, versions) and one step folder with the
 * weights and Adam's state, written atomically by {@link CheckpointDirectory}.
 */
public final class RefinerCheckpoints {
  public static final String FORMAT = "noddi-refiner/1";
  private static final String WEIGHTS = "refiner.params";
  private static final String ADAM = "adam.ndlist";

  private RefinerCheckpoints() {}

  /** Saves the trainer's state; {@code data} describes the training data (stored as "data"). */
  public static void save(Path dir, RefinerTrainer t, JsonObject data,
      List<RefinerTrainer.Validation> history) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.add("config", StrictJson.EXACT.toTree(t.config()));
    json.add("train", StrictJson.EXACT.toTree(t.trainConfig()));
    json.addProperty("step", t.step());
    json.addProperty("adamSteps", t.adam().stepCount());
    json.addProperty("seed", t.trainConfig().seed());
    json.add("data", data == null ? new JsonObject() : data);
    json.add("validation", StrictJson.EXACT.toTree(history));
    CheckpointDirectory.saveStep(dir, t.step(), tmp -> {
      Files.write(tmp.resolve(WEIGHTS), CheckpointDirectory.params(t.net()));
      Files.write(tmp.resolve(ADAM), t.adam().state().encode());
    }, json);
  }

  /** Whether {@code dir} holds a refiner's model.json (format {@value #FORMAT}). */
  public static boolean isRefiner(Path dir) throws IOException {
    Path f = dir.resolve(CheckpointDirectory.MODEL_JSON);
    if (!Files.isRegularFile(f)) {
      return false;
    }
    try {
      JsonObject j = com.google.gson.JsonParser.parseString(Files.readString(f))
          .getAsJsonObject();
      return j.has("format") && FORMAT.equals(j.get("format").getAsString());
    } catch (RuntimeException e) {
      return false; // not ours: ModelBundle.open says what is wrong with it
    }
  }

  public static JsonObject readJson(Path dir) throws IOException {
    return CheckpointDirectory.readJson(dir, FORMAT);
  }

  /** Restores a run to continue training exactly where it stopped. */
  public static RefinerTrainer resume(Path dir, Device device) throws IOException {
    JsonObject json = readJson(dir);
    RefinerTrainer fresh = new RefinerTrainer(CheckpointDirectory.entry(dir, json, "config",
        RefinerConfig.class), trainConfig(dir, json), device);
    return CheckpointDirectory.resume(dir, json, fresh, (t, ck) -> {
      CheckpointDirectory.load(t.net(), ck.resolve(WEIGHTS), t.manager());
      try (NDManager tmp = t.manager().newSubManager()) {
        t.adam().restore(CheckpointDirectory.readNdList(tmp, ck.resolve(ADAM)),
            json.get("adamSteps").getAsLong());
      }
      t.setStep(json.get("step").getAsLong());
    });
  }

  /**
   * A new run that starts from the weights of the refiner in {@code dir} (a run of
   * {@code train-refiner} or a model folder's {@code refiner} part) with its network config, a
   * fresh optimizer and step 0: fine-tuning on other data.
   */
  public static RefinerTrainer startFrom(Path dir, RefinerTrainConfig train, Device device)
      throws IOException {
    JsonObject json = readJson(dir);
    // initialising writes into the parameters in place: not where the thread records gradients
    boolean grad = org.noddildm.model.Engines.gradMode();
    org.noddildm.model.Engines.setGradMode(false);
    RefinerTrainer t = null;
    try {
      t = new RefinerTrainer(CheckpointDirectory.entry(dir, json, "config", RefinerConfig.class), train, device);
      CheckpointDirectory.load(t.net(), CheckpointDirectory.checkpoint(dir, json).resolve(WEIGHTS),
          t.manager());
      return t;
    } catch (IOException | RuntimeException e) {
      if (t != null) {
        t.close();
      }
      throw e;
    } finally {
      org.noddildm.model.Engines.setGradMode(grad);
    }
  }

  /**
   * The training config stored in model.json; runs saved before the free-water weight was a
   * setting used {@value RefinerExample#FREE_WATER_WEIGHT}.
   */
  public static RefinerTrainConfig trainConfig(Path dir, JsonObject json) {
    JsonObject copy = json.deepCopy();
    if (copy.has("train") && copy.get("train").isJsonObject()
        && !copy.getAsJsonObject("train").has("freeWaterWeight")) {
      copy.getAsJsonObject("train").addProperty("freeWaterWeight",
          RefinerExample.FREE_WATER_WEIGHT);
    }
    return CheckpointDirectory.entry(dir, copy, "train", RefinerTrainConfig.class);
  }

  /** The validation history stored in model.json. */
  public static List<RefinerTrainer.Validation> history(JsonObject json) {
    return json.has("validation") ? List.of(StrictJson.read(json.get("validation"),
        RefinerTrainer.Validation[].class)) : List.of();
  }

  /** Loads the weights for prediction into {@code manager}. */
  public static Refiner load(Path dir, NDManager manager) throws IOException {
    JsonObject json = readJson(dir);
    RefinerNet net = new RefinerNet(CheckpointDirectory.entry(dir, json, "config",
        RefinerConfig.class));
    net.initialize(manager);
    CheckpointDirectory.load(net, CheckpointDirectory.checkpoint(dir, json).resolve(WEIGHTS), manager);
    return new Refiner(net, manager);
  }
}
