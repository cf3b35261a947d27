package org.noddildm.app.validate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.noddildm.app.report.PageStyle;
import org.noddildm.app.report.TissueClasses;
import org.noddildm.core.metrics.ErrorMetrics;

/**
 * The self-check's table (validate.json) and page (index.html): per scan, per method, the PSNR
 * and SSIM of each map against the reference, per tissue class, and the diffusion model's
 * interval coverage, with the reference's own noise level and what a perfect prediction would
 * score against it.
 */
public final class ValidationReport {
  /** What the reference is, said on the page and in the JSON. */
  public static final String REFERENCE_NOTE = "The reference is the NODDI fit of the full"
      + " high-resolution scan, not a ground truth: it has noise and the fit's own biases. Its"
      + " noise sd per map is estimated by fitting two halves of the directions; a perfect"
      + " prediction would score about the PSNR ceiling against it, so differences between"
      + " methods near the ceiling mean little.";
  /** How the scores are made. */
  public static final String SCORING_NOTE = "PSNR with data range 1 in the brain mask (NDI and"
      + " ODI where the reference FWF < 0.9, FWF in the whole brain); SSIM as scikit-image"
      + " computes it (window 7, data range 1) over the volume and its mean in the brain;"
      + " tissue classes from the reference maps (" + TissueClasses.RULES.get("csf") + " csf, "
      + TissueClasses.RULES.get("wm") + " wm, " + TissueClasses.RULES.get("gm") + " gm).";
  /** What the interval is. */
  public static final String INTERVAL_NOTE = "Interval: the diffusion model's 90% interval as"
      + " predict writes it (calibrated on simulated subjects when the model has a calibration,"
      + " else mean +- 1.645 sd over its samples); against this reference, which has noise of"
      + " its own, its coverage is only a guide.";

  private ValidationReport() {}

  /** The JSON table. */
  public static Map<String, Object> json(List<ScannerCheck.ScanResult> scans,
      Map<String, Object> settings) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("reference", REFERENCE_NOTE);
    j.put("scoring", SCORING_NOTE);
    j.put("interval", INTERVAL_NOTE);
    j.put("maps", List.of("NDI", "ODI", "FWF"));
    j.put("data_range", ErrorMetrics.NODDI_RANGE);
    j.put("settings", settings);
    List<Object> list = new java.util.ArrayList<>();
    for (ScannerCheck.ScanResult s : scans) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("id", s.id());
      o.put("grid", s.grid());
      o.put("short_grid", s.lowGrid());
      o.put("protocol", s.fullProtocol());
      o.put("short_protocol", s.shortProtocol());
      o.put("acquisition", s.acquisition());
      o.put("s0_reference", s.s0Reference());
      o.put("brain_voxels", s.brainVoxels());
      o.put("mask", s.maskSource());
      o.put("reference_noise_sd", s.referenceSd());
      o.put("psnr_ceiling", s.psnrCeiling());
      o.put("halves_share_the_b0", s.sharedB0());
      Map<String, Object> methods = new LinkedHashMap<>();
      for (ScannerCheck.MethodResult m : s.methods()) {
        Map<String, Object> x = new LinkedHashMap<>();
        ValidationScores sc = m.scores();
        x.put("psnr", sc.psnr());
        x.put("psnr_mean", sc.meanPsnr());
        x.put("ssim", sc.ssim());
        x.put("ssim_brain", sc.ssimBrain());
        x.put("psnr_per_tissue", sc.tissuePsnr());
        if (sc.coverage() != null) {
          x.put("interval_coverage", sc.coverage());
        }
        x.put("seconds", m.seconds());
        methods.put(m.method().name().toLowerCase(Locale.ROOT), x);
      }
      o.put("methods", methods);
      list.add(o);
    }
    j.put("scans", list);
    return j;
  }

  /** The HTML page; every string from the data is escaped. */
  public static String html(List<ScannerCheck.ScanResult> scans, String settings) {
    StringBuilder h = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        + "<title>noddi validate</title><style>" + PageStyle.CSS + "</style></head><body>"
        + "<h1>Self-check on your own scans</h1>");
    h.append("<p>").append(PageStyle.esc(settings)).append("</p>");
    h.append("<p class=\"note\">").append(PageStyle.esc(REFERENCE_NOTE)).append("</p>");
    h.append("<p class=\"note\">").append(PageStyle.esc(SCORING_NOTE)).append("</p>");
    for (ScannerCheck.ScanResult s : scans) {
      h.append("<h2>").append(PageStyle.esc(s.id())).append("</h2><p>")
          .append(PageStyle.esc(String.format(Locale.ROOT, "%s, %s -> short scan %s, %s, %s;"
              + " %d brain voxels (mask: %s)", s.grid(), s.fullProtocol(), s.lowGrid(),
              s.shortProtocol(), s.acquisition(), s.brainVoxels(), s.maskSource())))
          .append("</p>");
      double[] c = s.psnrCeiling();
      h.append("<p>").append(PageStyle.esc(String.format(Locale.ROOT, "Reference noise sd"
          + " NDI/ODI/FWF %.4f / %.4f / %.4f: PSNR ceiling %.1f / %.1f / %.1f dB%s",
          s.referenceSd()[0], s.referenceSd()[1], s.referenceSd()[2], c[0], c[1], c[2],
          s.sharedB0() ? " (the halves share the only b0, so the sd is underestimated)"
              : ""))).append("</p>");
      h.append("<table class=\"metrics\"><tr><th>method</th><th>NDI</th><th>ODI</th>"
          + "<th>FWF</th><th>mean PSNR</th><th>PSNR wm / gm / csf (mean of maps)</th>"
          + "<th>90% interval coverage</th><th>s</th></tr>");
      for (ScannerCheck.MethodResult m : s.methods()) {
        ValidationScores sc = m.scores();
        h.append("<tr><td>").append(PageStyle.esc(m.method().label())).append("</td>");
        for (int t = 0; t < 3; t++) {
          h.append(String.format(Locale.ROOT, "<td>%.2f dB / %.3f</td>", sc.psnr()[t],
              sc.ssim()[t]));
        }
        h.append(String.format(Locale.ROOT, "<td>%.2f</td><td>%s / %s / %s</td><td>%s</td>"
            + "<td>%.1f</td></tr>", sc.meanPsnr(), tissue(sc, "wm"), tissue(sc, "gm"),
            tissue(sc, "csf"), sc.coverage() == null ? "-" : String.format(Locale.ROOT,
                "%.2f / %.2f / %.2f", sc.coverage()[0], sc.coverage()[1], sc.coverage()[2]),
            m.seconds()));
      }
      h.append("</table><p class=\"note\">Each map: PSNR in the brain / SSIM over the"
          + " volume. ").append(PageStyle.esc(INTERVAL_NOTE)).append("</p>");
    }
    return h.append("</body></html>\n").toString();
  }

  private static String tissue(ValidationScores sc, String name) {
    double[] v = sc.tissuePsnr().get(name);
    double m = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        m += x;
        n++;
      }
    }
    return n == 0 ? "-" : String.format(Locale.ROOT, "%.2f", m / n);
  }
}
