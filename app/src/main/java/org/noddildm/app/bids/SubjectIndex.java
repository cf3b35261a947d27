package org.noddildm.app.bids;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.app.report.PageStyle;
import org.noddildm.core.io.AtomicFiles;

/**
 * {@code OUTPUT_DIR/sub-X.html}, the participant's index page (fMRIPrep's habit): one row per
 * run (its session and acq/dir/run entities, the estimates, the key QC numbers) with a link to
 * the run's report in {@code sub-X/figures/}, and the failure of the participant's last run, if
 * it failed.
 *
 * <p>The page is made from the subject's completion record ({@value ParticipantRunner#RECORD})
 * alone, so that {@code noddi bids} and the Spark job, which hold the same record, write the
 * same bytes: it carries no time and no machine path (a path in a failure's message is cut to
 * its file name). It is written right after the subject's folder is put in place, and again on
 * every rerun of the subject (skipped, redone or failed), so a job killed between the two is
 * mended by the next run. When a run fails, the subject's folder keeps its earlier outputs (if
 * any), and the page lists them under the failure.
 */
public final class SubjectIndex {
  private SubjectIndex() {}

  /** The page's file name in the output folder, {@code sub-X.html}. */
  public static String fileName(String subject) {
    return "sub-" + subject + ".html";
  }

  /**
   * Writes the page of {@code subject} into {@code outRoot} atomically, from the record in its
   * folder (if there is one).
   *
   * @param failure the error of the participant's last run, or null when it did not fail
   */
  static void write(Path outRoot, String subject, String failure) throws IOException {
    Path recordFile = outRoot.resolve("sub-" + subject).resolve(ParticipantRunner.RECORD);
    JsonObject record = Files.isRegularFile(recordFile) ? parse(Files.readString(recordFile))
        : null;
    AtomicFiles.writeString(outRoot.resolve(fileName(subject)), html(subject, record,
        failure));
  }

  /** A completion record's text as JSON, or null when it does not parse as an object. */
  public static JsonObject parse(String text) {
    try {
      return JsonParser.parseString(text).getAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The page.
   *
   * @param record the subject's completion record, or null when it has no finished outputs
   * @param failure the error of the participant's last run, or null when it did not fail
   */
  public static String html(String subject, JsonObject record, String failure) {
    String sub = "sub-" + subject;
    StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta"
        + " charset=\"utf-8\">\n<title>noddi: ").append(esc(sub)).append("</title>\n<style>")
        .append(PageStyle.CSS).append(".failed{border:1px solid #e55;padding:8px}a{color:#8fd3ff}")
        .append("</style>\n</head><body>\n<h1>NODDI derivatives: ").append(esc(sub))
        .append("</h1>\n");
    if (failure != null) {
      h.append("<div class=\"failed\" id=\"failure\"><b>The last run of this participant"
          + " failed:</b> ").append(esc(withoutPaths(failure))).append("<br>The log with the"
              + " stack trace is <code>logs/").append(esc(sub)).append(".log</code>; the"
              + " participant is listed in <code>").append(FailureList.FILE).append("</code>.")
          .append(record == null ? " No outputs were kept." : " The runs below are the"
              + " outputs of an earlier run, kept as they were.").append("</div>\n");
    }
    if (record == null || !record.has("runs")) {
      if (failure == null) {
        h.append("<p class=\"note\">No finished outputs.</p>\n");
      }
      return h.append(footer()).toString();
    }
    List<JsonObject> runs = new ArrayList<>();
    record.getAsJsonArray("runs").forEach(r -> runs.add(r.getAsJsonObject()));
    Set<String> entities = new LinkedHashSet<>();
    for (JsonObject r : runs) {
      entities.addAll(r.getAsJsonObject("entities").keySet());
    }
    entities.remove("sub");
    String method = setting(record, "method");
    boolean deep = !method.equals("classic") && record.has("modelId");
    h.append("<p class=\"note\">").append(runs.size()).append(" run(s), method ")
        .append(esc(method)).append(deep ? ", model " + esc(record.get("modelId")
            .getAsString()) : "").append(". Each run's report (no"
                + " ground truth needed) is in <code>").append(esc(sub)).append("/")
        .append(RunReport.FOLDER).append("/</code>; the maps are in the run's <code>dwi/"
            + "</code> folder.</p>\n<table class=\"metrics\" id=\"runs\">\n<tr>");
    for (String e : entities) {
      h.append("<th>").append(esc(e)).append("</th>");
    }
    h.append("<th>estimates</th><th>b0 SNR</th><th>brain voxels (output grid)</th><th>brain"
        + " voxels (scan grid)</th><th>gradients</th><th>report</th></tr>\n");
    for (JsonObject r : runs) {
      JsonObject ent = r.getAsJsonObject("entities");
      JsonObject qc = r.getAsJsonObject("qc");
      h.append("<tr>");
      for (String e : entities) {
        h.append("<td>").append(ent.has(e) ? esc(ent.get(e).getAsString()) : "").append("</td>");
      }
      h.append("<td>").append(esc(String.join(", ", r.getAsJsonObject("maps").keySet())))
          .append("</td><td>").append(snr(qc.get("b0Snr"))).append("</td><td>")
          .append(qc.get("brainVoxels").getAsLong()).append("</td><td>")
          .append(qc.get("brainVoxelsNative").getAsLong()).append("</td><td>")
          .append(esc(qc.get("shells").getAsString())).append("</td><td><a href=\"")
          .append(esc(r.get("report").getAsString())).append("\">")
          .append(esc(r.get("prefix").getAsString())).append("</a></td></tr>\n");
    }
    h.append("</table>\n<p class=\"note\">b0 SNR: the median over the brain of the temporal"
        + " SNR of the b0 volumes (n/a with one b0); a low value flags motion. Estimates:"
        + " <code>native</code> is the classic fit on the scan's own grid.</p>\n");
    return h.append(footer()).toString();
  }

  private static String footer() {
    BuildInfo b = BuildInfo.current();
    return "<p class=\"note\">noddi-ldm " + esc(b.version()) + ", commit " + esc(b.commitText())
        + "</p>\n</body></html>\n";
  }

  private static String setting(JsonObject record, String key) {
    JsonElement s = record.get("settings");
    return s != null && s.isJsonObject() && s.getAsJsonObject().has(key)
        ? s.getAsJsonObject().get(key).getAsString() : "n/a";
  }

  private static String snr(JsonElement v) {
    return v == null || v.isJsonNull() || !Double.isFinite(v.getAsDouble()) ? "n/a"
        : String.format(Locale.ROOT, "%.1f", v.getAsDouble());
  }

  /** Absolute paths cut to their file name: the page names no machine. */
  static String withoutPaths(String s) {
    return s.replaceAll("(?<![\\w.])(/[^\\s\",/]+)+/([^\\s\",/]+)", "$2");
  }

  private static String esc(String s) {
    return PageStyle.esc(s);
  }
}
