package org.noddildm.model.train;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.google.gson.Gson;
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
 * The crash-safe layout shared by every trained model: {@code model.json} (format, config,
 * step, seed, versions, ...) beside {@code step-NNNNNNN/} with the latest checkpoint's files.
 *
 * <p>A checkpoint is written into {@code step-NNNNNNN.tmp/} ({@link #beginStep}), renamed, then
 * {@code model.json} is replaced atomically to point at it and older step folders are removed
 * ({@link #commitStep}): at any moment model.json names a complete checkpoint.
 */
public final class ModelDirectory {
  /** The model directory's description file. */
  public static final String MODEL_JSON = "model.json";
  private static final Gson GSON = new Gson();

  private ModelDirectory() {}

  /** Name of the step folder of {@code step}. */
  public static String stepName(long step) {
    return String.format(Locale.ROOT, "step-%07d", step);
  }

  /** Creates {@code dir} and an empty temporary folder for the checkpoint of {@code step}. */
  public static Path beginStep(Path dir, long step) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(stepName(step) + ".tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    return tmp;
  }

  /**
   * Moves the finished temporary folder of {@code step} into place, writes {@code json} (to
   * which "checkpoint" and "versions" are added) as model.json, and removes older steps.
   */
  public static void commitStep(Path dir, long step, JsonObject json, Gson gson)
      throws IOException {
    String name = stepName(step);
    Path target = dir.resolve(name);
    deleteTree(target);
    Files.move(dir.resolve(name + ".tmp"), target);
    json.addProperty("checkpoint", name);
    json.add("versions", versions());
    AtomicFiles.writeString(dir.resolve(MODEL_JSON), gson.toJson(json));
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("step-") && !n.equals(name)) {
          deleteTree(p);
        }
      }
    }
  }

  /** The parsed model.json of {@code dir}, which must declare {@code format}. */
  public static JsonObject readJson(Path dir, String format) throws IOException {
    Path file = dir.resolve(MODEL_JSON);
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(dir, "expected a model directory with " + MODEL_JSON
          + ", found none");
    }
    try {
      JsonObject json = GSON.fromJson(Files.readString(file), JsonObject.class);
      if (json == null) {
        throw new BadFileException(file, "expected a JSON object with the model's format,"
            + " found an empty file");
      }
      String found = json.has("format") ? json.get("format").getAsString() : "none";
      if (!format.equals(found)) {
        throw new BadFileException(file, "expected format " + format + ", found " + found);
      }
      return json;
    } catch (JsonParseException | IllegalStateException e) {
      throw new BadFileException(file, "not valid JSON: " + e.getMessage());
    }
  }

  /** The folder of the checkpoint model.json points at. */
  public static Path checkpoint(Path dir, JsonObject json) {
    if (!json.has("checkpoint") || !json.get("checkpoint").isJsonPrimitive()) {
      throw new BadFileException(dir.resolve(MODEL_JSON), "expected an entry \"checkpoint\""
          + " naming the step folder, found none");
    }
    return dir.resolve(json.get("checkpoint").getAsString());
  }

  /**
   * An NDList saved with {@code NDList.encode} (such as Adam's moments), read into
   * {@code manager}; a truncated or corrupt file is one clear error.
   */
  public static NDList readNdList(NDManager manager, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(file, "expected the optimizer state of the checkpoint, found"
          + " none");
    }
    try {
      return NDList.decode(manager, Files.readAllBytes(file));
    } catch (RuntimeException e) {
      throw new BadFileException(file, "expected an optimizer state saved by noddi, found a"
          + " truncated or corrupt file (" + e.getClass().getSimpleName() + "); resume from"
          + " another checkpoint or start again");
    }
  }

  /** A block's parameters as bytes (DJL's format). */
  public static byte[] params(Block b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      b.saveParameters(out);
    }
    return bytes.toByteArray();
  }

  /** Loads parameters saved by {@link #params} into an initialised block; they stay trainable. */
  public static void load(Block b, Path file, NDManager manager) throws IOException {
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
    } catch (java.io.EOFException | RuntimeException e) {
      throw new BadFileException(file, "expected the weights saved with this model, found a"
          + " truncated or corrupt file (" + e.getClass().getSimpleName() + "); export or"
          + " download the model again");
    }
  }

  /** Engine, DJL, Java and platform versions, for provenance. */
  public static JsonObject versions() {
    JsonObject v = new JsonObject();
    v.addProperty("engine", Engines.describe());
    v.addProperty("djl", Engine.getDjlVersion());
    v.addProperty("java", System.getProperty("java.version"));
    v.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return v;
  }

  /** Deletes a file or folder tree if it exists. */
  public static void deleteTree(Path p) throws IOException {
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
