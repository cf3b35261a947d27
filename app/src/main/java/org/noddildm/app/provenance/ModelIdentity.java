package org.noddildm.app.provenance;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.noddildm.core.BadFileException;
import org.noddildm.core.provenance.ProvenanceScrubber;
import org.noddildm.core.provenance.Sha256;
import org.noddildm.model.bundle.ShippedModel;

/**
 * Which model made an output, stated by content and in words instead of by a path on somebody's
 * machine: the SHA-256 of the model's files and the note its training left in model.json.
 *
 * <p>The id is {@code sha256:} + SHA-256 over the lines {@code relative/path NUL sha256(file)
 * LF} of the model's files in sorted path order. The files are those its {@code files.txt}
 * lists (an exported or shipped model: model.json files and weights) or, without one, every
 * regular file under the folder except hidden ones. So the shipped model has the same id read
 * from the jar ({@link #shipped}) as extracted to a folder ({@link #of}), and renaming or
 * moving a model does not change it.
 *
 * @param id {@code sha256:<64 hex digits>}
 * @param note how the model was trained, in words (from model.json), machine paths removed
 * @param files how many files the id covers
 */
public record ModelIdentity(String id, String note, int files) {
  /** Index of an exported model's files. */
  private static final String INDEX = ShippedModel.INDEX;

  /** Reads one of a model's files by relative path. */
  private interface Source {
    byte[] read(String relative) throws IOException;
  }

  /** The identity of the model folder {@code dir}. */
  public static ModelIdentity of(Path dir) throws IOException {
    List<String> files = new ArrayList<>();
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      files.addAll(lines(Files.readString(index, StandardCharsets.UTF_8)));
    } else {
      try (Stream<Path> s = Files.walk(dir)) {
        s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
            .filter(r -> !r.startsWith(".") && !r.contains("/.")).forEach(files::add);
      }
    }
    return identify(files, r -> {
      Path p = dir.resolve(r).normalize();
      if (!p.startsWith(dir.normalize()) || !Files.isRegularFile(p)) {
        throw new BadFileException(p, "expected a file of the model (listed in " + INDEX
            + "), found none");
      }
      return Files.readAllBytes(p);
    });
  }

  /** The identity of the model shipped in this jar, read from the classpath, or null if none. */
  public static ModelIdentity shipped() throws IOException {
    if (!ShippedModel.available()) {
      return null;
    }
    Source jar = r -> {
      try (InputStream in = ShippedModel.class.getResourceAsStream(ShippedModel.RESOURCE + r)) {
        if (in == null) {
          throw new BadFileException(Path.of(ShippedModel.RESOURCE + r), "expected a file of"
              + " the shipped model, found none in this build");
        }
        return in.readAllBytes();
      }
    };
    return identify(lines(new String(jar.read(INDEX), StandardCharsets.UTF_8)), jar);
  }

  private static ModelIdentity identify(List<String> files, Source source) throws IOException {
    List<String> sorted = files.stream().sorted().distinct().toList();
    MessageDigest all = Sha256.digest();
    String note = null;
    for (String f : sorted) {
      byte[] bytes = source.read(f);
      all.update((f + "\0" + Sha256.hex(bytes) + "\n")
          .getBytes(StandardCharsets.UTF_8));
      if (f.equals("model.json")) {
        note = trainingNote(new String(bytes, StandardCharsets.UTF_8));
      }
    }
    if (note == null && sorted.contains("refiner/model.json")) {
      note = trainingNote(new String(source.read("refiner/model.json"), StandardCharsets.UTF_8));
    }
    return new ModelIdentity("sha256:" + HexFormat.of().formatHex(all.digest()),
        note == null ? "no training note in the model" : note, sorted.size());
  }

  /**
   * The training note of a model.json: {@code training.note} of a model bundle, or for a bare
   * refiner or diffusion checkpoint its format, step and seed.
   */
  static String trainingNote(String json) {
    try {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      if (o.has("training") && o.get("training").isJsonObject()) {
        JsonElement n = o.getAsJsonObject("training").get("note");
        if (n != null && n.isJsonPrimitive()) {
          return ProvenanceScrubber.scrubText(n.getAsString());
        }
      }
      if (o.has("format")) {
        return o.get("format").getAsString() + (o.has("step") ? ", step " + o.get("step") : "")
            + (o.has("seed") ? ", seed " + o.get("seed") : "");
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }

  /** {@code id}, {@code trainingNote} and {@code files}, for a sidecar. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("Id", id);
    o.addProperty("TrainingNote", note);
    o.addProperty("Files", files);
    return o;
  }
}
