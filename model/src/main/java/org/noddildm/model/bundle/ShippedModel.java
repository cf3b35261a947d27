package org.noddildm.model.bundle;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.io.TempFiles;
import org.noddildm.core.metrics.SpreadCalibration;
import org.noddildm.core.provenance.ProvenanceScrubber;
import org.noddildm.model.train.CheckpointDirectory;

/**
 * The pretrained model that ships inside the jar, and the export that makes such a model from a
 * trained one.
 *
 * <p>A shipped model is a {@value ModelBundle#FORMAT} directory cut down to what sampling reads:
 * each part's model.json and, in its checkpoint folder, the NODDI and DMRI VQ-GAN generators
 * ({@code generator.params}) and the diffusion model's EMA weights ({@code ema.params}); no
 * optimizer state, no discriminator. {@value #INDEX} lists its files, because a jar's folders
 * cannot be listed. On use, the files are copied into a temporary folder which is removed when
 * the JVM exits.
 */
public final class ShippedModel {
  /** Classpath folder of the shipped model. */
  public static final String RESOURCE = "/org/noddildm/model/shipped/";
  /** The list of the shipped model's files, one relative path per line. */
  public static final String INDEX = "files.txt";

  private ShippedModel() {}

  /** Whether this build carries a shipped model. */
  public static boolean available() {
    return ShippedModel.class.getResource(RESOURCE + INDEX) != null;
  }

  /**
   * The shipped model's folder, unpacked: what {@code noddi predict} and {@code noddi demo} use
   * without {@code --model}; a build without one ends in a clear error.
   */
  public static Path locate() throws IOException {
    if (!available()) {
      throw new BadArgumentException("--model: expected a model directory (train one with noddi"
          + " train --data DIR --out MODEL), found none given, and this build carries no"
          + " pretrained model");
    }
    return extract();
  }

  /**
   * Copies the shipped model out of the classpath into a fresh temporary folder and returns
   * it, ready for {@link ModelBundle#open}. Fails clearly if the build has none or a file named
   * in its index is missing.
   */
  public static Path extract() throws IOException {
    List<String> files = index();
    Path dir = Files.createTempDirectory("noddi-shipped-model");
    deleteOnExit(dir);
    for (String f : files) {
      Path target = dir.resolve(f).normalize();
      if (!target.startsWith(dir)) {
        throw new BadFileException(Path.of(RESOURCE + INDEX), "expected paths inside the model,"
            + " found " + f);
      }
      Files.createDirectories(target.getParent());
      deleteOnExit(target.getParent());
      try (InputStream in = ShippedModel.class.getResourceAsStream(RESOURCE + f)) {
        if (in == null) {
          throw new BadFileException(Path.of(RESOURCE + f), "expected a file of the shipped"
              + " model (listed in " + INDEX + "), found none in this build");
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      deleteOnExit(target);
    }
    return dir;
  }

  /** The relative paths listed in the shipped model's index. */
  static List<String> index() throws IOException {
    try (InputStream in = ShippedModel.class.getResourceAsStream(RESOURCE + INDEX)) {
      if (in == null) {
        throw new BadFileException(Path.of(RESOURCE + INDEX), "expected a pretrained model"
            + " in this build, found none");
      }
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          out.add(line.strip());
        }
      }
      return out;
    }
  }

  /**
   * Writes the inference-only copy of the model in {@code model} (either layout of
   * {@link ModelBundle#open}) to {@code out} as a {@value ModelBundle#FORMAT} directory with its
   * {@value #INDEX}, keeping each part's model.json (config, provenance, validation history).
   * The copy is built in a temporary sibling folder and moved into place, so {@code out} never
   * holds half a model. Returns the total size in bytes.
   */
  public static long export(Path model, Path out, JsonObject provenance) throws IOException {
    return export(model, null, out, provenance);
  }

  /**
   * As {@link #export(Path, Path, JsonObject)}, adding the weights of a refiner
   * ({@code noddi train-refiner}) as the model's {@code refiner} part when {@code refiner} is not
   * null (else the model's own refiner, if it has one), so that the model predicts with it by
   * default. Absolute paths in the parts' model.json files are reduced to their last name
   * ({@link ProvenanceScrubber}).
   */
  public static long export(Path model, Path refiner, Path out, JsonObject provenance)
      throws IOException {
    return export(model, refiner, out, provenance, null);
  }

  /**
   * As {@link #export(Path, Path, JsonObject)}, with {@code calibration} as the exported model's
   * {@value ModelBundle#CALIBRATION}; null keeps the model's own calibration (if any). A new
   * refiner drops the old calibration, which measured the spread around the old refiner's maps.
   */
  public static long export(Path model, Path refiner, Path out, JsonObject provenance,
      SpreadCalibration calibration) throws IOException {
    ModelBundle m = ModelBundle.open(model);
    if (Files.exists(out)) {
      throw new BadFileException(out, "expected a new folder for the exported model, found one"
          + " already there");
    }
    Path abs = out.toAbsolutePath();
    Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
    CheckpointDirectory.deleteTree(tmp);
    Files.createDirectories(tmp);
    TempFiles.register(tmp);
    try {
      List<String> files = new ArrayList<>();
      if (m.vqganNoddi() != null) {
        copyPart(m.vqganNoddi(), tmp, "vqgan-noddi", "generator.params", files);
      }
      if (!m.isResidual()) {
        copyPart(m.vqganDwi(), tmp, "vqgan-dwi", "generator.params", files);
      }
      copyPart(m.ldm(), tmp, "ldm", "ema.params", files);
      Path r = refiner != null ? refiner : m.refiner();
      if (r != null) {
        copyPart(r, tmp, ModelBundle.REFINER, "refiner.params", files);
      }
      ModelBundle.write(tmp, m.vqganNoddi() != null, !m.isResidual(), provenance);
      SpreadCalibration cal = calibration != null ? calibration
          : refiner == null ? m.calibration() : null;
      if (cal != null) {
        ModelBundle.writeCalibration(tmp, cal);
        files.add(ModelBundle.CALIBRATION);
      }
      files.add(0, ModelBundle.MODEL_JSON);
      Files.writeString(tmp.resolve(INDEX), String.join("\n", files) + "\n");
      files.add(INDEX);
      long bytes = 0;
      for (String f : files) {
        bytes += Files.size(tmp.resolve(f));
      }
      Files.move(tmp, abs);
      return bytes;
    } finally {
      TempFiles.deleteQuietly(tmp); // gone after the move; a failed export leaves no half model
    }
  }

  private static void copyPart(Path part, Path root, String name, String weights,
      List<String> files) throws IOException {
    JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(
        part.resolve(CheckpointDirectory.MODEL_JSON))).getAsJsonObject();
    Path checkpoint = CheckpointDirectory.checkpoint(part, json);
    Path to = root.resolve(name);
    Path ck = to.resolve(checkpoint.getFileName().toString());
    Files.createDirectories(ck);
    Path source = checkpoint.resolve(weights);
    if (!Files.isRegularFile(source)) {
      throw new BadFileException(checkpoint, "expected " + weights + " in the checkpoint, found"
          + " none");
    }
    Files.copy(source, ck.resolve(weights));
    // the part's config and history travel with it; the folders it was trained from do not,
    // and the list of files is that of the copy (no optimizer state)
    JsonObject exported = ProvenanceScrubber.scrub(json).getAsJsonObject();
    exported.add("files", CheckpointDirectory.manifest(ck));
    Files.writeString(to.resolve(CheckpointDirectory.MODEL_JSON),
        StrictJson.EXACT.toJson(exported));
    files.add(name + "/" + CheckpointDirectory.MODEL_JSON);
    files.add(name + "/" + checkpoint.getFileName() + "/" + weights);
  }

  private static void deleteOnExit(Path p) {
    p.toFile().deleteOnExit();
  }
}
