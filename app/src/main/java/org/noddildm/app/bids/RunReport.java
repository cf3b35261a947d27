package org.noddildm.app.bids;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.app.report.QcInputs;
import org.noddildm.app.report.QcPage;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * The QC report of one run, as fMRIPrep and QSIPrep keep theirs: an HTML page in the subject's
 * {@code figures/} folder, {@code sub-X/figures/<run stem>_desc-qc_report.html}, written with
 * the subject (so it is as atomic as the maps) and named in its completion record.
 */
final class RunReport {
  static final String FOLDER = "figures";

  private RunReport() {}

  /** The report's path relative to the output root. */
  static String relative(DwiRun run) {
    return "sub-" + run.subject() + "/" + FOLDER + "/" + run.prefix() + "_desc-qc_report.html";
  }

  /**
   * Writes the report of a run into {@code outRoot} (the subject's temporary root).
   *
   * @param estimates each estimate's name (desc) and NDI, ODI, FWF on the output grid
   * @param sd per-voxel sd over samples of estimate {@code sdOf}, or null
   * @param scan the run's scan, its gradients and its brain mask on its grid
   * @param deep whether a deep estimate was made (the model is then named)
   * @param metadata the input sidecars' acquisition fields, shown as text (dataset strings are
   *     escaped by the page, never markup)
   */
  static String write(Path outRoot, DwiRun run, Map<String, Volume> estimates, Volume sd,
      String sdOf, Mask mask, RunQc qc, QcInputs.Scan scan, BidsOptions options,
      ModelIdentity model, boolean deep, JsonObject metadata) throws IOException {
    // the estimate with the sd maps first (the page shows them as its), classic last
    List<QcInputs.Estimate> list = new ArrayList<>();
    if (sd != null) {
      list.add(new QcInputs.Estimate(sdOf, estimates.get(sdOf)));
    }
    estimates.forEach((k, v) -> {
      if (!k.equals("classic") && !(sd != null && k.equals(sdOf))) {
        list.add(new QcInputs.Estimate(k, v));
      }
    });
    if (estimates.containsKey("classic")) {
      list.add(new QcInputs.Estimate("classic", estimates.get("classic")));
    }
    Map<String, String> acquisition = new LinkedHashMap<>();
    acquisition.put("scan", scan.name() + ", " + scan.dwi().grid().shape() + " x "
        + scan.dwi().nt() + " volumes");
    acquisition.put("gradients", qc.shells());
    acquisition.put("brain voxels (scan grid)", Long.toString(qc.brainVoxelsNative()));
    for (Map.Entry<String, JsonElement> e : metadata.entrySet()) {
      JsonElement v = e.getValue();
      String text = v.isJsonPrimitive() ? v.getAsString() : StrictJson.REPORT.toJson(v);
      acquisition.put(e.getKey(), text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : options.toJson().entrySet()) {
      JsonElement v = e.getValue();
      settings.put(e.getKey(), v.isJsonPrimitive() ? v.getAsString()
          : StrictJson.REPORT.toJson(v));
    }
    Map<String, String> modelRows = new LinkedHashMap<>();
    if (deep && model != null) {
      modelRows.put("model id", model.id());
      modelRows.put("model training", model.note());
    }
    Volume first = list.get(0).maps();
    int[] voxel = {first.nx() / 2, first.ny() / 2, first.nz() / 2};
    String rel = relative(run);
    QcPage.write(outRoot.resolve(rel), new QcInputs(run.prefix(), list, sd,
        mask == null ? null : mask.toVolume(), qc.b0Snr(), acquisition, settings, modelRows,
        voxel, false, scan));
    return rel;
  }
}
