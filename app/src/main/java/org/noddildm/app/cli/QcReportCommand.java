package org.noddildm.app.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.noddildm.app.evaluate.Evaluation;
import org.noddildm.app.options.PlaneOptions;
import org.noddildm.app.report.QcInputs;
import org.noddildm.app.report.QcPage;
import org.noddildm.app.report.SnrEstimate;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi qc-report}: the QC report of real data (no ground truth) for the outputs of
 * {@code noddi predict}. {@code noddi bids ... participant} writes the same report for every
 * run by itself.
 */
@Command(name = "qc-report", mixinStandardHelpOptions = true,
    description = "Write DIR/index.html, the quality report of maps that have no ground truth:"
        + " SNR, the input's mean b0 and mean DWI per shell with the mask outline and its"
        + " gradient directions (with --dwi), the maps and sd maps in three planes with"
        + " orientation letters, histograms per tissue, the deep model minus the classic fit, the NiiVue viewer, methods, settings"
        + " and versions. One file, opens offline.")
public final class QcReportCommand implements Callable<Integer> {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** Keys of predict's JSON that name files on the machine: never copied into the page. */
  private static final Set<String> PATH_KEYS = Set.of("dwi", "bval", "bvec", "maskFile",
      "modelSource", "modelIdentity", "software", "date", "command");

  @Option(names = "--pred", required = true, paramLabel = "PREFIX",
      description = "Output prefix of noddi predict: reads PREFIX_noddi.nii.gz, and when present"
          + " PREFIX_{ndi,odi,fwf}_std.nii.gz, PREFIX_mask.nii.gz and PREFIX_prediction.json.")
  String pred;

  @Option(names = "--compare", paramLabel = "PREFIX",
      description = "Prefix of a second estimate on the same grid, usually noddi predict"
          + " --method classic: shown beside --pred and subtracted from it.")
  String compare;

  @Option(names = "--compare-name", paramLabel = "NAME", defaultValue = "classic",
      description = "Name of --compare (default: ${DEFAULT-VALUE}).")
  String compareName;

  @Option(names = "--dwi", paramLabel = "FILE",
      description = "The scan the maps came from: the SNR estimate, its mean b0 and mean DWI"
          + " per shell with the brain-mask outline, and the gradient directions per shell.")
  Path dwi;

  @Mixin org.noddildm.app.options.GradientOptions gradients;

  @Option(names = "--mask", paramLabel = "FILE",
      description = "Brain mask of the output grid (default: PREFIX_mask.nii.gz when present).")
  Path mask;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Mixin PlaneOptions planes;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
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
    if (dwi != null) {
      org.noddildm.app.options.GradientOptions.Scan read = gradients.readScan(dwi);
      GradientTable table = read.table();
      Volume scan = read.image().volume();
      BadArgumentException.require(scan.nt() == table.size(), "--dwi: expected " + table.size()
          + " volumes (one per b-value), found " + scan.nt());
      snr = SnrEstimate.ofScan(scan, table);
      scanInputs = new QcInputs.Scan(dwi.getFileName().toString(), scan, table,
          table.b0Indices().length > 0 ? BrainMask.automatic(scan, table) : null);
      acquisition.put("scan", dwi.getFileName() + ", " + scan.grid().shape() + " x "
          + scan.nt());
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
    int[] voxel = planes.slice() == null
        ? new int[] {first.nx() / 2, first.ny() / 2, first.nz() / 2} : planes.slice();
    String title = Path.of(pred).getFileName().toString();
    Path page = out.resolve("index.html");
    QcPage.write(page, new QcInputs(title, estimates, sd, m, snr, acquisition, settings, model,
        voxel, planes.radiological(), scanInputs));
    PrintWriter w = spec.commandLine().getOut();
    w.printf("wrote %s (%d KiB)%n", page, Files.size(page) / 1024);
    w.flush();
    return 0;
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
