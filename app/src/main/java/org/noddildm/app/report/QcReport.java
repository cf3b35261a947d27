package org.noddildm.app.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.volume.Volume;

/**
 * The QC report of maps that have no ground truth ({@code noddi qc-report}, for the outputs of
 * {@code noddi predict}): it reads the prediction, its sd, mask and sidecar, and the scan when
 * given, and writes the page ({@link QcPage}).
 */
public final class QcReport {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Keys of predict's JSON that name files on the machine: never copied into the page. */
  private static final Set<String> PATH_KEYS = Set.of("dwi", "bval", "bvec", "maskFile",
      "modelSource", "modelIdentity", "software", "date", "command");

  /**
   * The scan the maps came from.
   *
   * @param name its file name, for the page
   * @param image the DWI
   * @param table its gradients
   */
  public record Scan(String name, Volume image, GradientTable table) {}

  private QcReport() {}

  /**
   * Writes {@code out/index.html} for the {@code noddi predict} outputs of prefix {@code pred}
   * (and of {@code compare}, named {@code compareName}, when not null), with the brain of
   * {@code mask} (or PREFIX_mask.nii.gz when present), and the scan {@code scan} when given;
   * returns the page.
   */
  public static Path write(String pred, String compare, String compareName, Path mask,
      Path out, int[] slice, boolean radiological, Scan scan) throws IOException {
    JsonObject provenance = readJson(Path.of(pred + "_prediction.json"));
    String predName = provenance != null && provenance.has("method")
        ? provenance.get("method").getAsString() : "prediction";
    List<QcInputs.Estimate> estimates = new ArrayList<>(List.of(new QcInputs.Estimate(
        predName, readMaps(pred, "--pred"))));
    if (compare != null) {
      estimates.add(new QcInputs.Estimate(compareName, readMaps(compare, "--compare")));
    }
    Volume first = estimates.get(0).maps();
    Volume sd = readSd(pred);
    Path maskFile = mask != null ? mask : existing(Path.of(pred + "_mask.nii.gz"));
    Volume m = maskFile == null ? null
        : BrainMasks.read(maskFile, "the maps' grid", first.grid()).toVolume();
    Map<String, String> acquisition = new LinkedHashMap<>();
    double snr = Double.NaN;
    QcInputs.Scan scanInputs = null;
    if (scan != null) {
      GradientTable table = scan.table();
      Volume dwi = scan.image();
      BadArgumentException.require(dwi.nt() == table.size(), "--dwi: expected " + table.size()
          + " volumes (one per b-value), found " + dwi.nt());
      snr = SnrEstimate.ofScan(dwi, table);
      scanInputs = new QcInputs.Scan(scan.name(), dwi, table,
          table.b0Indices().length > 0 ? BrainMask.automatic(dwi, table) : null);
      acquisition.put("scan", scan.name() + ", " + dwi.grid().shape() + " x " + dwi.nt());
      acquisition.put("gradients", table.summary());
    }
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> model = new LinkedHashMap<>();
    if (provenance != null) {
      for (Map.Entry<String, JsonElement> e : provenance.entrySet()) {
        if (!PATH_KEYS.contains(e.getKey())) {
          settings.put(e.getKey(), text(e.getValue()));
        }
      }
      if (provenance.has("modelIdentity")) {
        provenance.getAsJsonObject("modelIdentity").entrySet().forEach(e -> model.put("model "
            + e.getKey(), text(e.getValue())));
      }
    }
    int[] voxel = slice == null
        ? new int[] {first.nx() / 2, first.ny() / 2, first.nz() / 2} : slice;
    String title = Path.of(pred).getFileName().toString();
    Path page = out.resolve("index.html");
    QcPage.write(page, new QcInputs(title, estimates, sd, m, snr, acquisition, settings, model,
        voxel, radiological, scanInputs));
    return page;
  }

  /** PREFIX_noddi.nii.gz, or PREFIX itself when it is a NIfTI file of 3 volumes. */
  private static Volume readMaps(String prefix, String option) throws IOException {
    Path stacked = Path.of(prefix + "_noddi.nii.gz");
    Path file = Files.isRegularFile(stacked) ? stacked : Path.of(prefix);
    BadArgumentException.require(Files.isRegularFile(file) && file.toString().matches(
        ".*\\.nii(\\.gz)?$"), option + ": expected " + stacked + " (noddi predict --out "
            + prefix + ") or a NIfTI file of NDI, ODI, FWF, found neither");
    Volume v = NiftiReader.read(file).volume();
    if (v.nt() != 3) {
      throw new BadFileException(file, "expected 3 volumes (NDI, ODI, FWF), found " + v.nt());
    }
    return v;
  }

  /** PREFIX_{ndi,odi,fwf}_std.nii.gz when all three exist, else null. */
  private static Volume readSd(String prefix) throws IOException {
    Volume[] parts = new Volume[3];
    String[] names = {"ndi", "odi", "fwf"};
    for (int t = 0; t < 3; t++) {
      Path p = existing(Path.of(prefix + "_" + names[t] + "_std.nii.gz"));
      if (p == null) {
        return null;
      }
      parts[t] = NiftiReader.read(p).volume();
    }
    return Volume.stack(parts);
  }

  private static JsonObject readJson(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      return null;
    }
    try {
      return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new BadFileException(p, "expected the JSON object noddi predict writes, found text"
          + " that does not parse as one");
    }
  }

  /** A value as text, absolute paths cut to their file name (the page names no machine). */
  private static String text(JsonElement e) {
    String s = e.isJsonPrimitive() ? e.getAsString() : StrictJson.REPORT.toJson(e);
    return s.replaceAll("(?<![\\w.])(/[^\\s\",/]+)+/([^\\s\",/]+)", "$2");
  }

  private static Path existing(Path p) {
    return Files.isRegularFile(p) ? p : null;
  }
}
