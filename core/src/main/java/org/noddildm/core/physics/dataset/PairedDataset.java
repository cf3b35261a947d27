package org.noddildm.core.physics.dataset;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.physics.phantom.PhantomFiles;
import org.noddildm.core.physics.phantom.Tissue;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * A paired dataset on disk: low-resolution DWIs with their high-resolution NODDI ground truth.
 *
 * <pre>
 *   DIR/dataset.json          every parameter, the seed and the list of subjects
 *   DIR/sub-0001/noddi.nii.gz NDI, ODI, FWF (float32, 0..1), plus ndi/odi/fwf.nii.gz,
 *                 direction.nii.gz, labels.nii.gz, mask.nii.gz (high resolution)
 *                 dwi_lowres.nii.gz .bval .bvec, mask_lowres.nii.gz (low resolution)
 *                 subject.json (anatomical subjects or varied protocols: pose, protocol, SNR)
 * </pre>
 *
 * Reading checks that every listed subject folder has its files.
 */
public final class PairedDataset {
  public static final String JSON = "dataset.json";
  public static final String DWI = "dwi_lowres.nii.gz";
  public static final String BVAL = "dwi_lowres.bval";
  public static final String BVEC = "dwi_lowres.bvec";
  public static final String MASK_LOWRES = "mask_lowres.nii.gz";
  /** Value of the "format" key. */
  public static final String FORMAT = "noddi-ldm paired dataset";
  private static final String[] FILES = {PhantomFiles.MAPS, PhantomFiles.MASK, DWI, BVAL, BVEC,
      MASK_LOWRES};

  private final Path dir;
  private final JsonObject json;
  private final List<String> subjects;

  private PairedDataset(Path dir, JsonObject json, List<String> subjects) {
    this.dir = dir;
    this.json = json;
    this.subjects = Collections.unmodifiableList(subjects);
  }

  /** Opens a dataset folder, checking dataset.json and each subject's files. */
  public static PairedDataset open(Path dir) throws IOException {
    Path file = dir.resolve(JSON);
    if (!Files.isRegularFile(file)) {
      throw new BadFileException(file, "expected a paired dataset's dataset.json (made by noddi"
          + " simulate), found no such file");
    }
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (RuntimeException e) {
      throw new BadFileException(file, "expected JSON, found unreadable text: " + e.getMessage());
    }
    if (!json.has("format") || !FORMAT.equals(json.get("format").getAsString())
        || !json.has("subjects")) {
      throw new BadFileException(file, "expected \"format\": \"" + FORMAT + "\" and a"
          + " \"subjects\" list, found neither");
    }
    List<String> subjects = new ArrayList<>();
    for (JsonElement e : json.getAsJsonArray("subjects")) {
      String name = e.getAsString();
      for (String f : FILES) {
        Path p = dir.resolve(name).resolve(f);
        if (!Files.isRegularFile(p)) {
          throw new BadFileException(p, "expected subject " + name + "'s " + f
              + ", found no such file");
        }
      }
      subjects.add(name);
    }
    return new PairedDataset(dir, json, subjects);
  }

  /**
   * Opens a dataset to train on: it must list subjects, and a dataset of a held-out anatomy
   * (INIA19) is refused, since it is for benchmarks only.
   */
  public static PairedDataset openForTraining(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new BadFileException(dir, "expected a paired dataset directory (made by noddi"
          + " simulate), found " + (Files.exists(dir) ? "a file" : "nothing"));
    }
    PairedDataset d = open(dir);
    Anatomy anatomy = d.anatomy();
    if (anatomy.heldOut()) {
      throw new BadArgumentException(dir + ": expected a training dataset, found one simulated"
          + " from the held-out anatomy " + anatomy.id() + " (benchmarks only, never train on"
          + " it)");
    }
    if (d.subjects.isEmpty()) {
      throw new BadFileException(dir.resolve(JSON), "expected subjects sub-0001, sub-0002, ..."
          + " to train on, found an empty list");
    }
    return d;
  }

  public Path dir() {
    return dir;
  }

  /** Subject folder names, in order. */
  public List<String> subjects() {
    return subjects;
  }

  /** The parsed dataset.json. */
  public JsonObject json() {
    return json.deepCopy();
  }

  /** The anatomy the subjects were made from; procedural for datasets older than the key. */
  public Anatomy anatomy() {
    return anatomyOf(json);
  }

  private static Anatomy anatomyOf(JsonObject json) {
    JsonObject phantom = json.has("phantom") && json.get("phantom").isJsonObject()
        ? json.getAsJsonObject("phantom") : null;
    if (phantom == null || !phantom.has("anatomy") || phantom.get("anatomy").isJsonNull()) {
      return Anatomy.PROCEDURAL;
    }
    return Anatomy.parse(phantom.get("anatomy").getAsString());
  }

  /**
   * The dataset in words, without its path (for provenance that travels with a model): the
   * anatomy, seed, subject count and whether protocols varied per subject.
   */
  public String describe() {
    if (json.has("source") && ScanPairs.SOURCE.equals(json.get("source").getAsString())) {
      return "short scans made from " + json.getAsJsonArray("scans").size() + " "
          + ScanPairs.SOURCE + ", " + subjects.size() + " subjects";
    }
    boolean varied = json.has("protocol") && json.get("protocol").isJsonObject()
        && json.getAsJsonObject("protocol").has("varied_per_subject")
        && !json.getAsJsonObject("protocol").get("varied_per_subject").isJsonNull();
    boolean acquisitions = json.has("degradation") && json.get("degradation").isJsonObject()
        && json.getAsJsonObject("degradation").has("varied_per_subject");
    boolean anatomies = json.has("phantom") && json.get("phantom").isJsonObject()
        && json.getAsJsonObject("phantom").has("variation");
    return "noddi simulate" + (anatomy() == Anatomy.PROCEDURAL ? "" : " --anatomy "
        + anatomy().name().toLowerCase(java.util.Locale.ROOT)) + (varied ? " --vary-protocol"
        : "") + (acquisitions ? " --vary-acquisition" : "") + (anatomies ? " --vary-anatomy"
        : "") + " --subjects " + subjects.size() + (json.has("seed") ? " --seed "
        + json.get("seed").getAsLong() : "");
  }

  /** Downsampling factor between the grids. */
  public int factor() {
    return json.getAsJsonObject("degradation").get("factor").getAsInt();
  }

  public Path subjectDir(String subject) {
    return dir.resolve(subject);
  }

  /** High-resolution NDI, ODI, FWF (3 volumes). */
  public Volume maps(String subject) throws IOException {
    Path f = subjectDir(subject).resolve(PhantomFiles.MAPS);
    Volume maps = readFinite(f);
    if (maps.nt() != 3) {
      throw new BadFileException(f, "expected 3 volumes (NDI, ODI, FWF), found " + maps.nt());
    }
    return maps;
  }

  /**
   * An image of training data, which must be finite: one NaN would make every loss and gradient
   * NaN, so a subject with any is refused, with the count and the first position.
   */
  public static Volume readFinite(Path file) throws IOException {
    Volume v = NiftiReader.read(file).volume();
    long bad = v.nonFiniteCount();
    if (bad > 0) {
      throw new BadFileException(file, "expected finite values in training"
          + " data, found " + bad + " NaN/Inf of " + (long) v.grid().size() * v.nt()
          + " (the first at " + v.firstNonFinite() + ")");
    }
    return v;
  }

  /** High-resolution fibre direction (3 volumes, voxel-axis frame of the bvecs). */
  public Volume direction(String subject) throws IOException {
    return NiftiReader.read(subjectDir(subject).resolve(PhantomFiles.DIRECTION)).volume();
  }

  /** High-resolution tissue labels ({@link Tissue}). */
  public Volume labels(String subject) throws IOException {
    return NiftiReader.read(subjectDir(subject).resolve(PhantomFiles.LABELS)).volume();
  }

  public Mask mask(String subject) throws IOException {
    return Mask.above(NiftiReader.read(subjectDir(subject).resolve(PhantomFiles.MASK)).volume(),
        0.5f);
  }

  /** The low-resolution DWI. */
  public Volume lowResDwi(String subject) throws IOException {
    return readFinite(subjectDir(subject).resolve(DWI));
  }

  public GradientTable table(String subject) throws IOException {
    return GradientIO.readFsl(subjectDir(subject).resolve(BVAL), subjectDir(subject)
        .resolve(BVEC));
  }

  public Mask lowResMask(String subject) throws IOException {
    return Mask.above(NiftiReader.read(subjectDir(subject).resolve(MASK_LOWRES)).volume(), 0.5f);
  }

  /** Writes dataset.json for a spec and its subjects (stable key order, no timestamps). */
  public static void writeJson(Path dir, DatasetSpec spec, List<String> subjects,
      GradientTable table, String software) throws IOException {
    JsonObject o = new JsonObject();
    o.addProperty("format", FORMAT);
    o.addProperty("version", 1);
    o.addProperty("software", software);
    o.addProperty("seed", spec.seed());
    JsonObject hi = new JsonObject();
    hi.add("size", ints(spec.nx(), spec.ny(), spec.nz()));
    hi.addProperty("voxel_mm", spec.voxel());
    hi.addProperty("supersample", spec.supersample());
    hi.addProperty("anatomy", spec.anatomy().id());
    if (spec.anatomy().heldOut()) {
      hi.addProperty("held_out", "benchmark only: never train on this anatomy");
    }
    if (spec.varyAnatomy() != null) {
      hi.addProperty("variation", spec.varyAnatomy().describe());
    }
    o.add("phantom", hi);
    JsonObject protocol = new JsonObject();
    protocol.addProperty("scan", spec.protocol());
    protocol.addProperty("drawn_from", spec.acquire());
    protocol.addProperty("summary", table.summary());
    protocol.addProperty("volumes", table.size());
    if (spec.varyProtocol() != null) {
      protocol.addProperty("varied_per_subject", spec.varyProtocol().describe()
          + "; scan, summary and volumes above and the SNR below are not used, see each"
          + " subject's " + DatasetSimulator.SUBJECT_JSON);
    }
    o.add("protocol", protocol);
    Degradation d = spec.degradation();
    JsonObject deg = new JsonObject();
    deg.addProperty("factor", d.factor());
    deg.addProperty("resampling", d.kspace() ? "kspace" : "block");
    if (!d.filter().isNone()) {
      deg.addProperty("kspace_filter", d.filter().describe());
    }
    if (spec.varyAcquisition() != null) {
      deg.addProperty("varied_per_subject", spec.varyAcquisition().describe()
          + "; resampling above is not used, see each subject's "
          + DatasetSimulator.SUBJECT_JSON);
    }
    deg.addProperty("noise", d.noise().name().toLowerCase(java.util.Locale.ROOT));
    deg.addProperty("snr", d.snr());
    deg.addProperty("s0_reference", DatasetSpec.S0_REFERENCE);
    o.add("degradation", deg);
    JsonObject low = new JsonObject();
    low.add("size", ints(spec.nx() / d.factor(), spec.ny() / d.factor(),
        spec.nz() / d.factor()));
    low.addProperty("voxel_mm", spec.voxel() * d.factor());
    o.add("lowres", low);
    JsonObject diff = new JsonObject();
    diff.addProperty("d_par", spec.diffusivities().dPar());
    diff.addProperty("d_iso", spec.diffusivities().dIso());
    o.add("diffusivities_mm2_per_s", diff);
    o.add("maps", strings("NDI", "ODI", "FWF"));
    o.add("labels", strings("background", "CSF", "GM", "WM", "deep GM"));
    JsonArray subs = new JsonArray();
    JsonArray seeds = new JsonArray();
    for (int k = 0; k < subjects.size(); k++) {
      subs.add(subjects.get(k));
      seeds.add(spec.subjectSeed(k + 1));
    }
    o.add("subjects", subs);
    o.add("subject_seeds", seeds);
    StrictJson.EXACT.write(dir.resolve(JSON), o);
  }

  private static JsonArray ints(int... v) {
    JsonArray a = new JsonArray();
    for (int x : v) {
      a.add(x);
    }
    return a;
  }

  private static JsonArray strings(String... v) {
    JsonArray a = new JsonArray();
    for (String x : v) {
      a.add(x);
    }
    return a;
  }
}
