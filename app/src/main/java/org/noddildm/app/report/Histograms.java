package org.noddildm.app.report;

import java.util.List;
import java.util.Locale;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.volume.Volume;

/**
 * Histograms of NDI, ODI and FWF per tissue class ({@link TissueClasses}) as inline SVG: one
 * chart per map, one line per class (csf, wm, gm), each normalised to its class's voxel count so
 * that classes of different sizes compare, over 0..1 in {@value #BINS} bins.
 */
final class Histograms {
  static final int BINS = 50;
  private static final int W = 300;
  private static final int H = 150;
  private static final int PAD = 28;
  private static final List<String> CLASSES = List.of("csf", "wm", "gm");
  /** One colour per class, told apart in grey too (light, mid, dark). */
  private static final List<String> COLOURS = List.of("#8fd3ff", "#ffb000", "#e0e0e0");

  private Histograms() {}

  /** Bin counts of {@code v} over [0, 1]; values outside go to the end bins. */
  static int[] counts(float[] v) {
    int[] c = new int[BINS];
    for (float x : v) {
      if (Float.isFinite(x)) {
        c[Math.max(0, Math.min(BINS - 1, (int) (x * BINS)))]++;
      }
    }
    return c;
  }

  /**
   * The charts of one estimate: a row of three SVGs (NDI, ODI, FWF) with a legend giving each
   * class's rule and voxel count.
   *
   * @param maps NDI, ODI, FWF of the estimate
   * @param classes NDI, ODI, FWF the classes are decided from (same grid)
   * @param mask the brain mask of that grid
   */
  static String html(String estimate, Volume[] maps, Volume[] classes, Volume mask) {
    float[][][] perClass = new float[CLASSES.size()][][];
    for (int c = 0; c < CLASSES.size(); c++) {
      perClass[c] = TissueClasses.values(maps, classes, mask, CLASSES.get(c));
    }
    StringBuilder h = new StringBuilder("<div class=\"hists\">");
    for (int p = 0; p < 3; p++) {
      h.append(chart(estimate, MapEvaluation.name(p, 3), perClass, p));
    }
    h.append("</div>\n<p class=\"note\">");
    for (int c = 0; c < CLASSES.size(); c++) {
      h.append(String.format(Locale.ROOT, "<span style=\"color:%s\">&#9632; %s</span> (%s, %d"
          + " voxels) ", COLOURS.get(c), CLASSES.get(c), ReportPage.esc(TissueClasses.RULES
              .get(CLASSES.get(c))), perClass[c][0].length));
    }
    return h.append("</p>\n").toString();
  }

  private static String chart(String estimate, String map, float[][][] perClass, int p) {
    double[][] f = new double[CLASSES.size()][];
    double top = 1e-9;
    for (int c = 0; c < f.length; c++) {
      int[] k = counts(perClass[c][p]);
      int n = Math.max(1, perClass[c][p].length);
      f[c] = new double[BINS];
      for (int b = 0; b < BINS; b++) {
        f[c][b] = k[b] / (double) n;
        top = Math.max(top, f[c][b]);
      }
    }
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg class=\"hist\""
        + " data-estimate=\"%s\" data-map=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
        + " role=\"img\" aria-label=\"%s of %s per tissue\">", ReportPage.esc(estimate), map,
        W + PAD, H + PAD, W + PAD, H + PAD, map, ReportPage.esc(estimate)));
    s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\""
        + " fill=\"none\" stroke=\"#666\"/>", PAD, W, H));
    for (int c = 0; c < f.length; c++) {
      s.append("<polyline data-tissue=\"").append(CLASSES.get(c)).append("\" fill=\"none\"")
          .append(" stroke=\"").append(COLOURS.get(c)).append("\" stroke-width=\"1.5\" points=\"");
      for (int b = 0; b < BINS; b++) {
        s.append(String.format(Locale.ROOT, "%.1f,%.1f ", PAD + (b + 0.5) * W / BINS,
            H - f[c][b] / top * (H - 4)));
      }
      s.append("\"/>");
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#ccc\" font-size=\"11\">0"
        + "</text><text x=\"%d\" y=\"%d\" fill=\"#ccc\" font-size=\"11\">1</text><text x=\"%d\""
        + " y=\"%d\" fill=\"#eee\" font-size=\"12\" text-anchor=\"middle\">%s</text>", PAD - 3,
        H + 14, PAD + W - 6, H + 14, PAD + W / 2, H + 22, map));
    s.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"12\" fill=\"#ccc\" font-size=\"10\">"
        + "%.0f%%</text>", 100 * top));
    return s.append("</svg>").toString();
  }
}
