package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.model.data.DwiCondition;
import org.noddildm.model.train.Checkpoints;
import org.noddildm.model.vqgan.Vqgan;

/**
 * A complete model for {@code noddi predict}: the NODDI VQ-GAN, the DMRI-features VQ-GAN and the
 * latent diffusion model. Two layouts are accepted:
 * <ul>
 *   <li>{@value #FORMAT} (written by {@code noddi train}): {@code MODEL/model.json} naming the
 *       parts, which live in subfolders {@code vqgan-noddi/}, {@code vqgan-dwi/}, {@code ldm/};
 *   <li>an LDM directory of {@code noddi train-ldm}, whose model.json records the paths of the
 *       two VQ-GANs it was trained with.
 * </ul>
 *
 * @param dir the model directory
 * @param vqganNoddi the NODDI VQ-GAN directory
 * @param vqganDwi the DMRI VQ-GAN directory (its model.json holds the {@link DwiCondition})
 * @param ldm the LDM directory
 */
public record ModelBundle(Path dir, Path vqganNoddi, Path vqganDwi, Path ldm) {
  public static final String FORMAT = "noddi-model/1";
  public static final String MODEL_JSON = "model.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  /** The parts, loaded for sampling. */
  public record Loaded(ConditionalGenerator generator, GaussianDiffusion diffusion,
      DwiCondition condition, int factor, JsonObject provenance) {}

  /** Resolves the parts of a model directory; missing directories or files fail clearly. */
  public static ModelBundle open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new BadFileException(dir, "expected a model directory (noddi train --out MODEL),"
          + " found " + (Files.exists(dir) ? "a file" : "nothing"));
    }
    Path file = dir.resolve(MODEL_JSON);
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(dir, "expected a model directory with " + MODEL_JSON
          + " (noddi train --out MODEL), found none");
    }
    JsonObject json;
    try {
      json = GSON.fromJson(Files.readString(file), JsonObject.class);
    } catch (JsonParseException e) {
      throw new BadFileException(file, "not valid JSON: " + e.getMessage());
    }
    String format = json != null && json.has("format") ? json.get("format").getAsString()
        : "none";
    ModelBundle m;
    if (FORMAT.equals(format)) {
      JsonObject parts = json.getAsJsonObject("parts");
      m = new ModelBundle(dir, dir.resolve(part(parts, "vqganNoddi", file)),
          dir.resolve(part(parts, "vqganDwi", file)), dir.resolve(part(parts, "ldm", file)));
    } else if (LdmCheckpoints.FORMAT.equals(format)) {
      JsonObject d = json.getAsJsonObject("data");
      m = new ModelBundle(dir, Path.of(part(d, "vqganNoddi", file)),
          Path.of(part(d, "vqganDwi", file)), dir);
    } else {
      throw new BadFileException(file, "expected format " + FORMAT + " (noddi train) or "
          + LdmCheckpoints.FORMAT + " (noddi train-ldm), found " + format);
    }
    for (Path p : new Path[] {m.vqganNoddi, m.vqganDwi, m.ldm}) {
      if (!Files.isRegularFile(p.resolve(MODEL_JSON))) {
        throw new BadFileException(p, "expected a part of the model in " + dir
            + " with its model.json, found none");
      }
    }
    return m;
  }

  /** Writes the {@value #FORMAT} model.json of a directory holding the three parts. */
  public static void write(Path dir, JsonObject provenance) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    JsonObject parts = new JsonObject();
    parts.addProperty("vqganNoddi", "vqgan-noddi");
    parts.addProperty("vqganDwi", "vqgan-dwi");
    parts.addProperty("ldm", "ldm");
    json.add("parts", parts);
    json.add("training", provenance);
    AtomicFiles.writeString(dir.resolve(MODEL_JSON), GSON.toJson(json));
  }

  /** Loads the three parts into {@code manager} (the LDM's EMA weights, for sampling). */
  public Loaded load(NDManager manager) throws IOException {
    Vqgan noddi = Checkpoints.loadGenerator(vqganNoddi, manager);
    Vqgan dwi = Checkpoints.loadGenerator(vqganDwi, manager);
    DwiCondition condition = DwiCondition.readFrom(Checkpoints.readJson(vqganDwi)
        .getAsJsonObject("data"), vqganDwi);
    LdmCheckpoints.Loaded l = LdmCheckpoints.loadForSampling(ldm, manager);
    JsonObject data = l.json().getAsJsonObject("data");
    ConditionalGenerator gen = new ConditionalGenerator(noddi, dwi, l.net(),
        data.get("latentScale").getAsDouble(), data.get("condScale").getAsDouble(), manager);
    JsonObject prov = new JsonObject();
    prov.addProperty("model", dir.toAbsolutePath().toString());
    prov.addProperty("ldmStep", l.step());
    prov.addProperty("ldmSeed", l.json().get("seed").getAsLong());
    prov.addProperty("vqganNoddiStep", Checkpoints.readJson(vqganNoddi).get("step").getAsLong());
    prov.addProperty("vqganDwiStep", Checkpoints.readJson(vqganDwi).get("step").getAsLong());
    if (data.has("dataset")) {
      prov.add("dataset", data.get("dataset"));
    }
    prov.add("features", GSON.toJsonTree(condition.spec()));
    prov.addProperty("factor", condition.factor());
    return new Loaded(gen, l.diffusion(), condition, condition.factor(), prov);
  }

  private static String part(JsonObject o, String key, Path file) {
    if (o == null || !o.has(key)) {
      throw new BadFileException(file, "expected the entry " + key + " naming a part of the"
          + " model, found none");
    }
    return o.get(key).getAsString();
  }
}
