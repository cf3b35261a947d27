package org.noddildm.model.train;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
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
import org.noddildm.core.NoddiException;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.io.TempFiles;
import org.noddildm.core.provenance.Sha256;
import org.noddildm.model.Engines;

/**
 * The crash-safe layout shared by every trained model: {@code model.json} (format, config,
 * step, seed, versions, ...) beside {@code step-NNNNNNN/} with the latest checkpoint's files.
 *
 * <p>A checkpoint is written into {@code step-NNNNNNN.tmp/} ({@link #beginStep}), renamed, then
 * {@code model.json} is replaced atomically to point at it and older step folders are removed
 * ({@link #commitStep}): at any moment model.json names a complete checkpoint. A save that fails
 * removes its partial folder ({@link #saveStep}), and so does SIGTERM or Ctrl-C during a save.
 *
 * <p>model.json lists each file of the checkpoint with its size and SHA-256 ("files"), and
 * {@link #checkpoint} checks them before anything is loaded, so a missing, truncated or changed
 * file is named in one line instead of failing somewhere inside the weights.
 */
public final class CheckpointDirectory {
  /** The model directory's description file. */
  public static final String MODEL_JSON = "model.json";

  private CheckpointDirectory() {}

  /** Name of the step folder of {@code step}. */
  public static String stepName(long step) {
    return String.format(Locale.ROOT, "step-%07d", step);
  }

  /** Creates {@code dir} and an empty temporary folder for the checkpoint of {@code step}. */
  private static Path beginStep(Path dir, long step) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(stepName(step) + ".tmp");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    return tmp;
  }

  /** Writes the files of one checkpoint into the folder it is given. */
  @FunctionalInterface
  public interface StepFiles {
    void write(Path folder) throws IOException;
  }

  /**
   * Saves one checkpoint: {@code files} writes into a temporary step folder, which is then
   * committed with {@code json} ({@link #commitStep}). If anything fails (a full disk, say), the
   * partial folder is removed before the error goes on, and model.json still names the previous
   * complete checkpoint.
   */
  public static void saveStep(Path dir, long step, StepFiles files, JsonObject json)
      throws IOException {
    Path tmp = beginStep(dir, step);
    TempFiles.register(tmp);
    boolean done = false;
    try {
      files.write(tmp);
      commitStep(dir, step, json);
      done = true;
    } finally {
      TempFiles.release(tmp);
      if (!done) {
        TempFiles.deleteQuietly(tmp);
        if (!stepName(step).equals(pointedAt(dir))) {
          TempFiles.deleteQuietly(dir.resolve(stepName(step))); // moved, but never named
        }
      }
    }
  }

  /** The step folder model.json names, or null when it cannot be read. */
  private static String pointedAt(Path dir) {
    try {
      JsonObject j = StrictJson.read(Files.readString(dir.resolve(MODEL_JSON)), JsonObject.class);
      return j != null && j.has("checkpoint") ? j.get("checkpoint").getAsString() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Moves the finished temporary folder of {@code step} into place, writes {@code json} (to
   * which "checkpoint" and "versions" are added) as model.json, and removes older steps.
   */
  private static void commitStep(Path dir, long step, JsonObject json)
      throws IOException {
    String name = stepName(step);
    Path target = dir.resolve(name);
    deleteTree(target);
    JsonObject manifest = manifest(dir.resolve(name + ".tmp"));
    Files.move(dir.resolve(name + ".tmp"), target);
    json.addProperty("checkpoint", name);
    json.add("files", manifest);
    json.add("versions", versions());
    AtomicFiles.writeString(dir.resolve(MODEL_JSON), StrictJson.EXACT.toJson(json));
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        String n = p.getFileName().toString();
        if (n.startsWith("step-") && !n.equals(name)) {
          deleteTree(p);
        }
      }
    }
  }

  /**
   * Entry {@code key} of {@code dir}'s model.json {@code json} as a config record, whose
   * constructor checks it; a missing, malformed or refused entry is one line naming the file.
   */
  public static <T> T entry(Path dir, JsonObject json, String key, Class<T> type) {
    Path file = dir.resolve(MODEL_JSON);
    if (!json.has(key) || !json.get(key).isJsonObject()) {
      throw new BadFileException(file, "expected an object \"" + key + "\", found "
          + (json.has(key) ? json.get(key) : "none"));
    }
    try {
      return StrictJson.read(json.get(key), type);
    } catch (RuntimeException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof NoddiException n) {
          throw new BadFileException(file, "\"" + key + "\": " + n.getMessage());
        }
      }
      throw new BadFileException(file, "\"" + key + "\": expected a " + type.getSimpleName()
          + ", found " + e.getMessage());
    }
  }

  /** Restores a fresh trainer's state from the files of a checkpoint folder. */
  public interface Restore<T> {
    void into(T trainer, Path checkpoint) throws IOException;
  }

  /**
   * The one resume of every trainer: {@code restore} fills the fresh {@code trainer} from the
   * checkpoint of {@code dir} (files checked against model.json's manifest); if that fails,
   * the trainer is closed, so a failed resume holds no native memory.
   */
  public static <T extends AutoCloseable> T resume(Path dir, JsonObject json, T trainer,
      Restore<T> restore) throws IOException {
    try {
      restore.into(trainer, checkpoint(dir, json));
      return trainer;
    } catch (IOException | RuntimeException e) {
      try {
        trainer.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
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
      JsonObject json = StrictJson.read(Files.readString(file), JsonObject.class);
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

  /**
   * The folder of the checkpoint model.json points at, after checking each file model.json
   * lists (size and SHA-256; models saved before the list existed are not checked).
   */
  public static Path checkpoint(Path dir, JsonObject json) throws IOException {
    if (!json.has("checkpoint") || !json.get("checkpoint").isJsonPrimitive()) {
      throw new BadFileException(dir.resolve(MODEL_JSON), "expected an entry \"checkpoint\""
          + " naming the step folder, found none");
    }
    Path step = dir.resolve(json.get("checkpoint").getAsString());
    if (json.has("files") && json.get("files").isJsonObject()) {
      verify(step, json.getAsJsonObject("files"));
    }
    return step;
  }

  /** Each regular file of {@code folder} with its size and SHA-256, by name. */
  public static JsonObject manifest(Path folder) throws IOException {
    JsonObject files = new JsonObject();
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        JsonObject f = new JsonObject();
        f.addProperty("bytes", Files.size(p));
        f.addProperty("sha256", Sha256.hex(p));
        files.add(p.getFileName().toString(), f);
      }
    }
    return files;
  }

  /** Checks presence, size and SHA-256 of each file of the manifest; the first mismatch fails. */
  static void verify(Path folder, JsonObject manifest) throws IOException {
    String again = "; export, copy or download the model again";
    for (String name : manifest.keySet()) {
      Path p = folder.resolve(name);
      JsonObject f = manifest.getAsJsonObject(name);
      long bytes = f.get("bytes").getAsLong();
      if (!Files.isRegularFile(p)) {
        throw new BadFileException(p, "expected a file of the model (" + bytes + " bytes),"
            + " found none" + again);
      }
      long size = Files.size(p);
      if (size != bytes) {
        throw new BadFileException(p, "expected " + bytes + " bytes as model.json records,"
            + " found " + size + " (truncated or replaced)" + again);
      }
      String want = f.get("sha256").getAsString();
      String have = Sha256.hex(p);
      if (!want.equals(have)) {
        throw new BadFileException(p, "expected SHA-256 " + want.substring(0, 12) + "... as"
            + " model.json records, found " + have.substring(0, 12) + "... (changed or"
            + " damaged)" + again);
      }
    }
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
