package org.noddildm.model.bundle;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.metrics.ErrorFeatures;
import org.noddildm.core.metrics.ErrorModel;
import org.noddildm.core.metrics.SpreadCalibration;
import org.noddildm.model.data.DwiCondition;
import org.noddildm.model.estimate.Estimator;
import org.noddildm.model.estimate.RefinerEstimator;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.ldm.LdmCheckpoints;
import org.noddildm.model.ldm.ScanConditionedEstimator;
import org.noddildm.model.residual.LatentCoder;
import org.noddildm.model.residual.ResidualDiffusion;
import org.noddildm.model.residual.ResidualEstimator;
import org.noddildm.model.residual.ResidualExample;
import org.noddildm.model.residual.ResidualLatents;
import org.noddildm.model.residual.ResidualLdmRun;
import org.noddildm.model.residual.SubVoxelLatent;
import org.noddildm.model.residual.VqganLatent;
import org.noddildm.model.train.Checkpoints;
import org.noddildm.model.vqgan.Vqgan;

/**
 * A complete model for {@code noddi predict}. Its diffusion model is one of two kinds, told
 * apart by {@code data.condition} in the LDM's model.json:
 * <ul>
 *   <li>conditioned on the scan (CLDM's design): the NODDI VQ-GAN, the DMRI-features VQ-GAN and
 *       the latent diffusion model ({@code noddi dev train-ldm});
 *   <li>built on the refiner ({@value ResidualDiffusion#CONDITION}, {@link ResidualDiffusion}):
 *       the NODDI VQ-GAN, the refiner and the residual diffusion model
 *       ({@code noddi train-residual-ldm}); no DMRI VQ-GAN.
 * </ul>
 * Two layouts are accepted:
 * <ul>
 *   <li>{@value #FORMAT} (written by {@code noddi train} and {@code noddi dev export-model}):
 *       {@code MODEL/model.json} naming the parts, which live in subfolders
 *       {@code vqgan-noddi/}, {@code vqgan-dwi/}, {@code ldm/}, and {@code refiner/};
 *   <li>an LDM directory of {@code noddi dev train-ldm} or {@code train-residual-ldm}, whose
 *       model.json records the paths of the parts it was trained with.
 * </ul>
 *
 * @param dir the model directory
 * @param vqganNoddi the NODDI VQ-GAN directory, or null for a diffusion model on the refiner
 *     that works in the sub-voxel latent
 * @param vqganDwi the DMRI VQ-GAN directory (its model.json holds the {@link DwiCondition}), or
 *     null for a diffusion model built on the refiner
 * @param ldm the LDM directory
 * @param refiner the refiner directory, or null when the model has none
 */
public record ModelBundle(Path dir, Path vqganNoddi, Path vqganDwi, Path ldm, Path refiner) {
  /** Folder of the refiner inside a {@value #FORMAT} model directory. */
  public static final String REFINER = "refiner";

  public static final String FORMAT = "noddi-model/1";
  public static final String MODEL_JSON = "model.json";

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
      json = StrictJson.read(Files.readString(file), JsonObject.class);
    } catch (JsonParseException e) {
      throw new BadFileException(file, "not valid JSON: " + e.getMessage());
    }
    if (json == null) {
      throw new BadFileException(file, "expected a JSON object with the model's format, found"
          + " an empty file");
    }
    String format = json.has("format") ? json.get("format").getAsString() : "none";
    ModelBundle m;
    if (FORMAT.equals(format)) {
      JsonObject parts = json.getAsJsonObject("parts");
      Path ldm = dir.resolve(part(parts, "ldm", file));
      boolean onRefiner = onRefiner(ldm);
      Path refiner = dir.resolve(REFINER);
      m = new ModelBundle(dir, onRefiner && !parts.has("vqganNoddi") ? null
          : dir.resolve(part(parts, "vqganNoddi", file)),
          onRefiner ? null : dir.resolve(part(parts, "vqganDwi", file)), ldm,
          Files.isDirectory(refiner) ? refiner : null);
    } else if (LdmCheckpoints.FORMAT.equals(format)) {
      JsonObject d = json.getAsJsonObject("data");
      boolean onRefiner = onRefiner(dir);
      m = new ModelBundle(dir, onRefiner && ResidualLdmRun.subVoxel(d) ? null
          : Path.of(part(d, "vqganNoddi", file)),
          onRefiner ? null : Path.of(part(d, "vqganDwi", file)), dir,
          onRefiner ? Path.of(part(d, "refiner", file)) : null);
    } else {
      throw new BadFileException(file, "expected format " + FORMAT + " (noddi train) or "
          + LdmCheckpoints.FORMAT + " (noddi dev train-ldm), found " + format);
    }
    for (Path p : new Path[] {m.vqganNoddi, m.vqganDwi, m.ldm, m.refiner}) {
      if (p != null && !Files.isRegularFile(p.resolve(MODEL_JSON))) {
        throw new BadFileException(p, "expected a part of the model in " + dir
            + " with its model.json, found none");
      }
    }
    if (m.isResidual() && m.refiner == null) {
      throw new BadFileException(dir, "expected the refiner that the diffusion model builds on"
          + " (a " + REFINER + "/ folder), found none");
    }
    return m;
  }

  /** The file of a model folder that holds its {@link SpreadCalibration}, when it has one. */
  public static final String CALIBRATION = "calibration.json";

  /**
   * The calibration of the diffusion model's spread ({@code noddi calibrate}), or null when the
   * model folder has none.
   */
  public SpreadCalibration calibration() throws IOException {
    return readCalibration(dir);
  }

  /** The calibration in the model folder {@code dir}, or null when it has none. */
  public static SpreadCalibration readCalibration(Path dir) throws IOException {
    Path f = dir.resolve(CALIBRATION);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      JsonObject j = StrictJson.read(Files.readString(f), JsonObject.class);
      double[][] scale = StrictJson.read(j.get("scale"), double[][].class);
      long[][] count = StrictJson.read(j.get("count"), long[][].class);
      // format 1 has neither: its sd is the interval's c sd / z of the raw spread
      double[][] sdScale = j.has("sdScale") ? StrictJson.read(j.get("sdScale"),
          double[][].class) : null;
      ErrorModel error = j.has("errorModel") ? new ErrorModel(StrictJson.read(
          j.getAsJsonObject("errorModel").get("weights"), double[][].class)) : null;
      double[] sampleScale = j.has("sampleScale") ? StrictJson.read(j.get("sampleScale"),
          double[].class) : null;
      return new SpreadCalibration(j.get("level").getAsDouble(), scale, sdScale, count,
          j.get("data").getAsString(), error, sampleScale);
    } catch (RuntimeException e) {
      throw new BadFileException(f, "expected the calibration written by noddi calibrate"
          + " (level, scale, count, data, optional sdScale, errorModel, sampleScale), found "
          + e.getMessage());
    }
  }

  /** Writes {@code c} as the calibration of the model folder {@code dir}. */
  public static void writeCalibration(Path dir, SpreadCalibration c) throws IOException {
    JsonObject j = new JsonObject();
    j.addProperty("format", "noddi-calibration/" + (c.sdScale() == null
        && c.errorModel() == null && c.sampleScale() == null ? 1 : 2));
    j.addProperty("level", c.level());
    j.add("classes", StrictJson.EXACT.toTree(SpreadCalibration.CLASSES));
    j.add("scale", StrictJson.EXACT.toTree(c.scale()));
    if (c.sdScale() != null) {
      j.add("sdScale", StrictJson.EXACT.toTree(c.sdScale()));
    }
    if (c.sampleScale() != null) {
      j.add("sampleScale", StrictJson.EXACT.toTree(c.sampleScale()));
    }
    if (c.errorModel() != null) {
      JsonObject e = new JsonObject();
      e.add("features", StrictJson.EXACT.toTree(ErrorFeatures.NAMES));
      e.addProperty("pooling", ResidualDiffusion.POOLING);
      e.add("weights", StrictJson.EXACT.toTree(c.errorModel().weights()));
      e.addProperty("meaning", "per map (NDI, ODI, FWF): log sd = weights[0] + sum of"
          + " weights[k] feature[k - 1]");
      j.add("errorModel", e);
    }
    j.add("count", StrictJson.EXACT.toTree(c.count()));
    j.addProperty("data", c.data());
    j.addProperty("meaning", c.describe());
    AtomicFiles.writeString(dir.resolve(CALIBRATION), StrictJson.EXACT.toJson(j));
  }

  /** Whether the diffusion model builds on the refiner ({@link ResidualDiffusion}). */
  public boolean isResidual() {
    return vqganDwi == null;
  }

  /** Whether the LDM directory {@code ldm} holds a diffusion model built on the refiner. */
  private static boolean onRefiner(Path ldm) throws IOException {
    if (!Files.isRegularFile(ldm.resolve(MODEL_JSON))) {
      return false;
    }
    JsonObject d = LdmCheckpoints.readJson(ldm).getAsJsonObject("data");
    return d != null && d.has("condition")
        && ResidualDiffusion.classicCondition(d.get("condition").getAsString()) != null;
  }

  /**
   * Writes the {@value #FORMAT} model.json of a directory holding the parts: {@code ldm/}, and
   * {@code vqgan-noddi/} and {@code vqgan-dwi/} when their flags say so (a diffusion model on the
   * refiner has no DMRI VQ-GAN; one in the sub-voxel latent has no NODDI VQ-GAN either).
   */
  public static void write(Path dir, boolean vqganNoddi, boolean vqganDwi,
      JsonObject provenance) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    JsonObject parts = new JsonObject();
    if (vqganNoddi) {
      parts.addProperty("vqganNoddi", "vqgan-noddi");
    }
    if (vqganDwi) {
      parts.addProperty("vqganDwi", "vqgan-dwi");
    }
    parts.addProperty("ldm", "ldm");
    json.add("parts", parts);
    json.add("training", provenance);
    AtomicFiles.writeString(dir.resolve(MODEL_JSON), StrictJson.EXACT.toJson(json));
  }

  /**
   * The diffusion model, loaded for sampling into {@code manager} (the LDM's EMA weights), as an
   * estimator; one built on the refiner samples around {@code refiner}, the bundle's refiner
   * (which the caller has loaded; null for a model conditioned on the scan).
   */
  public Estimator loadDiffusion(NDManager manager, RefinerEstimator refiner)
      throws IOException {
    Vqgan noddi = vqganNoddi == null ? null : Checkpoints.loadGenerator(vqganNoddi, manager);
    LdmCheckpoints.Loaded l = LdmCheckpoints.loadForSampling(ldm, manager);
    JsonObject data = l.json().getAsJsonObject("data");
    double cs = data.get("condScale").getAsDouble();
    JsonObject prov = new JsonObject();
    prov.addProperty("ldmStep", l.step());
    prov.addProperty("ldmSeed", l.json().get("seed").getAsLong());
    if (noddi != null) {
      prov.addProperty("vqganNoddiStep", Checkpoints.readJson(vqganNoddi).get("step")
          .getAsLong());
    }
    if (isResidual()) {
      boolean classic = Boolean.TRUE.equals(ResidualDiffusion.classicCondition(
          data.get("condition").getAsString()));
      prov.addProperty("condition", "the refiner's maps (the diffusion model adds to them)"
          + (classic ? " and the classic estimate's features" : ""));
      if (data.has("datasets")) {
        prov.add("datasets", data.get("datasets"));
      }
      int factor = data.get("factor").getAsInt();
      prov.addProperty("factor", factor);
      LatentCoder coder = noddi == null ? new SubVoxelLatent(factor) : new VqganLatent(noddi);
      prov.addProperty("latent", coder.kind());
      prov.addProperty("target", ResidualExample.Target.of(data).meaning());
      return new ResidualEstimator(new ResidualDiffusion(coder, l.net(),
          ResidualLatents.scales(data), cs, classic,
          manager), refiner, l.diffusion(), factor, prov, manager);
    }
    Vqgan dwi = Checkpoints.loadGenerator(vqganDwi, manager);
    DwiCondition condition = DwiCondition.readFrom(Checkpoints.readJson(vqganDwi)
        .getAsJsonObject("data"), vqganDwi);
    ConditionalGenerator gen = new ConditionalGenerator(noddi, dwi, l.net(),
        data.get("latentScale").getAsDouble(), cs, manager);
    prov.addProperty("vqganDwiStep", Checkpoints.readJson(vqganDwi).get("step").getAsLong());
    for (String key : new String[] {"dataset", "datasets"}) { // a path before, now what it was
      if (data.has(key)) {
        prov.add(key, data.get(key));
      }
    }
    prov.add("features", StrictJson.EXACT.toTree(condition.spec()));
    prov.addProperty("factor", condition.factor());
    return new ScanConditionedEstimator(gen, condition, l.diffusion(), prov, manager);
  }

  private static String part(JsonObject o, String key, Path file) {
    if (o == null || !o.has(key)) {
      throw new BadFileException(file, "expected the entry " + key + " naming a part of the"
          + " model, found none");
    }
    return o.get(key).getAsString();
  }
}
