package org.noddildm.app.bids;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.noddildm.app.report.TissueClasses;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.volume.Volume;

/**
 * The group level: one cohort table of every finished run ({@value #TSV}, with the data
 * dictionary {@value #JSON}) and the failed subjects, from the participant level's completion
 * records, without rereading the raw data.
 *
 * <p>Per run and estimate, the mean, median and standard deviation of NDI, ODI and FWF in each
 * tissue class, with the voxel count. There is no segmentation, so the classes come from the
 * NODDI maps themselves, from the classic estimate of the same grid when there is one (so that
 * every estimate is summarised over the same voxels), else from the estimate itself:
 * <pre>
 *   brain   every voxel of the brain mask
 *   csf     FWF &gt;= 0.5                      (mostly free water)
 *   wm      FWF &lt; 0.5 and NDI &gt;= 0.5       (dense neurites: white matter)
 *   gm      FWF &lt; 0.5 and NDI &lt; 0.5        (grey matter and partial volumes)
 * </pre>
 * ({@link TissueClasses}, shared with the QC report.) These are rough classes for QC and cohort overviews, not an anatomical segmentation. JHU tract
 * regions are not summarised: the maps are in the scan's native space, and the tool has no
 * registration to a standard space.
 */
public final class GroupTable {
  public static final String TSV = "noddi_cohort.tsv";
  public static final String JSON = "noddi_cohort.json";
  static final List<String> TISSUES = TissueClasses.NAMES;
  static final List<String> STATS = List.of("mean", "median", "sd");
  private static final List<String> FIXED = List.of("participant_id", "session_id", "run_id",
      "acq", "dir", "run", "status", "error", "brain_voxels", "brain_voxels_native",
      "b0_count", "b0_snr");

  private GroupTable() {}

  /** Writes the table and its dictionary; returns the number of rows. */
  static int write(Path outRoot) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    for (JsonObject run : finishedRuns(outRoot)) {
      rows.add(row(outRoot, run));
    }
    return write(outRoot, rows);
  }

  /**
   * The run records of the finished subjects whose last run did not fail, in subject order:
   * what {@link #row} summarises (the Spark job computes the rows in its executors).
   */
  public static List<JsonObject> finishedRuns(Path outRoot) throws IOException {
    List<Path> subjects;
    try (Stream<Path> s = Files.list(outRoot)) {
      subjects = s.filter(p -> p.getFileName().toString().startsWith("sub-"))
          .filter(p -> Files.isRegularFile(p.resolve(ParticipantRunner.RECORD))).sorted()
          .toList();
    }
    Map<String, String> failures = FailureList.read(outRoot.resolve(FailureList.FILE));
    List<JsonObject> runs = new ArrayList<>();
    for (Path sd : subjects) {
      if (failures.containsKey(sd.getFileName().toString())) {
        continue; // its last run failed: the failure's row says so
      }
      JsonObject rec = JsonParser.parseString(Files.readString(sd.resolve(
          ParticipantRunner.RECORD))).getAsJsonObject();
      for (JsonElement r : rec.getAsJsonArray("runs")) {
        runs.add(r.getAsJsonObject());
      }
    }
    return runs;
  }

  /**
   * Writes the table of these run rows (in this order) and of the subjects in
   * {@code failures.tsv}, and its dictionary; returns the number of rows. The columns are the
   * fixed ones, then each row's in the order first met.
   */
  public static int write(Path outRoot, List<Map<String, String>> runRows) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>(runRows);
    List<String> columns = new ArrayList<>(FIXED);
    for (Map<String, String> row : runRows) {
      row.keySet().stream().filter(c -> !columns.contains(c)).forEach(columns::add);
    }
    Map<String, String> failures = FailureList.read(outRoot.resolve(FailureList.FILE));
    for (Map.Entry<String, String> f : failures.entrySet()) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("participant_id", f.getKey());
      row.put("status", "failed");
      row.put("error", f.getValue().split("\t")[0]);
      rows.add(row);
    }
    StringBuilder b = new StringBuilder(String.join("\t", columns)).append('\n');
    for (Map<String, String> row : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : columns) {
        cells.add(row.getOrDefault(c, "n/a"));
      }
      b.append(String.join("\t", cells)).append('\n');
    }
    AtomicFiles.writeString(outRoot.resolve(TSV), b.toString());
    StrictJson.REPORT.write(outRoot.resolve(JSON), dictionary(columns));
    return rows.size();
  }

  /**
   * One run's row: entities, QC and per-tissue statistics of every estimate, read from the
   * maps its record names under {@code root}; the keys in column order.
   */
  public static Map<String, String> row(Path root, JsonObject run) throws IOException {
    Map<String, String> row = new LinkedHashMap<>();
    JsonObject e = run.getAsJsonObject("entities");
    row.put("participant_id", "sub-" + e.get("sub").getAsString());
    row.put("session_id", e.has("ses") ? "ses-" + e.get("ses").getAsString() : "n/a");
    row.put("run_id", run.get("prefix").getAsString());
    for (String k : List.of("acq", "dir", "run")) {
      row.put(k, e.has(k) ? e.get(k).getAsString() : "n/a");
    }
    row.put("status", "ok");
    RunQc qc = RunQc.fromJson(run.getAsJsonObject("qc"));
    row.put("brain_voxels", Long.toString(qc.brainVoxels()));
    row.put("brain_voxels_native", Long.toString(qc.brainVoxelsNative()));
    row.put("b0_count", Integer.toString(qc.b0Count()));
    row.put("b0_snr", Double.isFinite(qc.b0Snr()) ? fmt(qc.b0Snr()) : "n/a");
    JsonObject maps = run.getAsJsonObject("maps");
    Volume hiMask = read(root, run.get("mask").getAsString());
    Volume[] hiReference = maps.has("classic") ? params(root, maps.getAsJsonObject("classic"))
        : null;
    for (String desc : maps.keySet()) {
      JsonObject m = maps.getAsJsonObject(desc);
      Volume[] v = params(root, m);
      boolean nativeGrid = desc.equals(DerivativeNames.NATIVE);
      Volume mask = nativeGrid ? read(root, m.get("mask").getAsString()) : hiMask;
      Volume[] ref = nativeGrid || hiReference == null ? v : hiReference;
      for (String t : TISSUES) {
        float[][] values = inTissue(v, ref, mask, t);
        row.put(desc + "_" + t + "_voxels", Integer.toString(values[0].length));
        for (int p = 0; p < 3; p++) {
          double[] s = stats(values[p]);
          String base = desc + "_" + DerivativeNames.PARAMS.get(p) + "_" + t + "_";
          for (int k = 0; k < 3; k++) {
            row.put(base + STATS.get(k), Double.isFinite(s[k]) ? fmt(s[k]) : "n/a");
          }
        }
      }
    }
    return row;
  }

  /** The files under the output root that {@link #row} reads for this run record. */
  public static List<String> inputsOf(JsonObject run) {
    List<String> files = new ArrayList<>(List.of(run.get("mask").getAsString()));
    JsonObject maps = run.getAsJsonObject("maps");
    for (String desc : maps.keySet()) {
      JsonObject m = maps.getAsJsonObject(desc);
      for (String k : m.keySet()) {
        if (DerivativeNames.PARAMS.contains(k) || k.equals("mask")) {
          files.add(m.get(k).getAsString());
        }
      }
    }
    return files;
  }

  /** NDI, ODI, FWF values of the voxels of one tissue class ({@link TissueClasses}). */
  static float[][] inTissue(Volume[] maps, Volume[] ref, Volume mask, String tissue) {
    return TissueClasses.values(maps, ref, mask, tissue);
  }

  /** Mean, median and sample standard deviation; NaN for too few values. */
  static double[] stats(float[] v) {
    int n = v.length;
    if (n == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    double sum = 0;
    for (float x : v) {
      sum += x;
    }
    double mean = sum / n;
    double ss = 0;
    for (float x : v) {
      ss += (x - mean) * (x - mean);
    }
    float[] s = v.clone();
    Arrays.sort(s);
    double median = n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    return new double[] {mean, median, n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN};
  }

  private static Volume[] params(Path root, JsonObject m) throws IOException {
    Volume[] v = new Volume[3];
    for (int p = 0; p < 3; p++) {
      v[p] = read(root, m.get(DerivativeNames.PARAMS.get(p)).getAsString());
    }
    return v;
  }

  private static Volume read(Path root, String relative) throws IOException {
    return NiftiReader.read(root.resolve(relative)).volume();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /** The BIDS data dictionary: every column with its description (and units). */
  private static JsonObject dictionary(List<String> columns) {
    Map<String, String> fixed = Map.ofEntries(
        Map.entry("participant_id", "Subject label (sub-<label>)"),
        Map.entry("session_id", "Session label (ses-<label>), n/a without sessions"),
        Map.entry("run_id", "Name stem of the input run (all its entities)"),
        Map.entry("acq", "acq entity of the input run, n/a without one"),
        Map.entry("dir", "dir entity (phase-encoding direction label) of the input run"),
        Map.entry("run", "run entity (index) of the input run"),
        Map.entry("status", "ok, or failed (the subject's last participant run failed; see"
            + " failures.tsv and logs/)"),
        Map.entry("error", "The failure's message, n/a when ok"),
        Map.entry("brain_voxels", "Voxels in the brain mask on the output grid"),
        Map.entry("brain_voxels_native", "Voxels in the brain mask on the scan's grid"),
        Map.entry("b0_count", "Number of b0 volumes of the scan"),
        Map.entry("b0_snr", "Median over the brain of the temporal SNR of the b0 volumes (mean"
            + " / sd over the b0s in each voxel); n/a with fewer than two b0s"));
    Map<String, String> tissue = TissueClasses.RULES;
    Map<String, String> param = Map.of("icvf", "NDI (ICVF)", "od", "ODI", "isovf",
        "FWF (ISOVF)");
    JsonObject d = new JsonObject();
    for (String c : columns) {
      JsonObject o = new JsonObject();
      if (fixed.containsKey(c)) {
        o.addProperty("Description", fixed.get(c));
      } else {
        String[] p = c.split("_");
        String where = " in the " + p[p.length - 2] + " class (" + tissue.get(
            p[p.length - 2]) + ", classes from the classic estimate of the same grid when"
            + " there is one); estimate " + p[0] + " (" + Sidecars.methodText(p[0]) + ")";
        if (c.endsWith("_voxels")) {
          o.addProperty("Description", "Voxels" + where);
        } else {
          o.addProperty("Description", p[p.length - 1] + " of " + param.get(p[1]) + where);
          o.addProperty("Units", "fraction (0..1)");
        }
      }
      d.add(c, o);
    }
    return d;
  }
}
