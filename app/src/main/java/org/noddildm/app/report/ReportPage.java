package org.noddildm.app.report;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.noddildm.app.view.Colormap;
import org.noddildm.app.view.DisplayOrientation;
import org.noddildm.app.view.Plane;
import org.noddildm.app.view.SliceImages;
import org.noddildm.app.view.TriPlanarFigure;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.metrics.MapScores;
import org.noddildm.core.metrics.TissueSummary;
import org.noddildm.core.volume.Volume;

/**
 * The HTML of a report: one self-contained page (PNG images as base64 data URIs with their
 * orientation letters, inline CSS, a few lines of plain JavaScript for the slice scroller, and
 * the NiiVue viewer with the maps embedded), so it opens offline and can be mailed as one file.
 */
final class ReportPage {
  static final int PANEL_PX = 180;

  /**
   * What the report was made from and how.
   *
   * @param input low-resolution input or null
   * @param inputVolume volume of a DWI input that is shown
   * @param range data range and colour scale top for the maps
   * @param voxel the voxel the static planes go through
   * @param viewer whether to embed the slice scroller
   * @param viewerImages most scroller pictures in all; beyond it every k-th slice is kept
   * @param compare a second prediction shown beside the first, or null
   * @param predLabel name of the prediction
   * @param compareLabel name of the second prediction
   */
  record Inputs(Path pred, Path ref, Path input, int inputVolume, Path mask, double range,
      int[] voxel, boolean radiological, boolean viewer, int viewerImages, Path compare,
      String predLabel, String compareLabel) {

    Inputs(Path pred, Path ref, Path input, int inputVolume, Path mask, double range,
        int[] voxel, boolean radiological, boolean viewer, int viewerImages) {
      this(pred, ref, input, inputVolume, mask, range, voxel, radiological, viewer,
          viewerImages, null, "prediction", "comparison");
    }
  }

  /** One column of pictures: a 3D volume, its colour range and its heading. */
  private record Column(String heading, Volume volume, double lo, double hi) {}

  private final Inputs in;
  private final Volume pred;
  private final Volume ref;
  private final Volume input;
  private final List<MapScores> scores;
  private final Volume compare;
  private final Volume uncertainty;
  private final List<MapScores> compareScores;
  private final List<List<TissueSummary>> tissues;
  private final String metricsText;
  private final DisplayOrientation orientation;
  private final StringBuilder script = new StringBuilder();

  ReportPage(Inputs in, Volume pred, Volume ref, Volume input, List<MapScores> scores,
      List<List<TissueSummary>> tissues, String metricsText) {
    this(in, pred, ref, input, scores, tissues, metricsText, null, List.of(), null);
  }

  ReportPage(Inputs in, Volume pred, Volume ref, Volume input, List<MapScores> scores,
      List<List<TissueSummary>> tissues, String metricsText, Volume compare,
      List<MapScores> compareScores, Volume uncertainty) {
    this.compare = compare;
    this.uncertainty = uncertainty;
    this.compareScores = compareScores;
    this.tissues = tissues;
    this.in = in;
    this.pred = pred;
    this.ref = ref;
    this.input = input;
    this.scores = scores;
    this.metricsText = metricsText;
    this.orientation = new DisplayOrientation(ref.grid());
  }

  String html() throws java.io.IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>noddi report: ").append(esc(name(in.pred()))).append("</title>\n")
        .append("<style>").append(PageStyle.CSS).append("</style>\n")
        .append("</head><body>\n<h1>NODDI maps: ").append(esc(in.predLabel()))
        .append(compare != null ? " and " + esc(in.compareLabel()) : "")
        .append(" against reference</h1>\n");
    h.append("<p class=\"note\">Made by noddi report on ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(".</p>\n");
    appendMetrics(h);
    for (int t = 0; t < ref.nt(); t++) {
      appendMap(h, t);
    }
    if (in.viewer()) {
      h.append(NiivueViewer.html(viewerLayers(), in.radiological()));
    }
    appendSettings(h);
    h.append("<script>\n").append(script).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private void appendMetrics(StringBuilder h) {
    h.append("<h2>Metrics</h2>\n<table class=\"metrics\"><tr>")
        .append(compare != null ? "<th>method</th>" : "").append("<th>map</th><th>PSNR (dB)</th>")
        .append("<th>SSIM</th>").append(in.mask() != null ? "<th>SSIM in mask</th>" : "")
        .append("<th>MAE</th><th>MSE</th></tr>\n");
    appendScoreRows(h, in.predLabel(), scores);
    if (compare != null) {
      appendScoreRows(h, in.compareLabel(), compareScores);
    }
    h.append("</table>\n<p class=\"note\">").append(esc(metricsText)).append("</p>\n");
    if (!tissues.isEmpty()) {
      h.append("<h3>Per tissue").append(compare != null ? " (" + esc(in.predLabel()) + ")" : "")
          .append("</h3>\n<table class=\"metrics\"><tr><th>map</th><th>tissue</th>")
          .append("<th>voxels</th><th>mean reference</th><th>mean prediction</th><th>MAE</th>")
          .append("<th>PSNR (dB)</th></tr>\n");
      for (int t = 0; t < tissues.size(); t++) {
        for (TissueSummary x : tissues.get(t)) {
          h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.4f"
                  + "</td><td>%.4f</td><td>%.5f</td><td>%.3f</td></tr>%n",
              esc(MapEvaluation.name(t, ref.nt())), esc(x.tissue()), x.voxels(), x.meanRef(),
              x.meanPred(), x.mae(), x.psnr()));
        }
      }
      h.append("</table>\n");
    }
  }

  private void appendScoreRows(StringBuilder h, String label, List<MapScores> list) {
    List<MapScores> rows = new ArrayList<>(list);
    if (list.size() > 1) {
      rows.add(MapScores.mean("mean", list));
    }
    for (MapScores s : rows) {
      h.append(String.format(Locale.ROOT, "<tr>%s<td>%s</td><td>%.3f</td><td>%.4f</td>%s"
              + "<td>%.5f</td><td>%.3g</td></tr>%n",
          compare != null ? "<td>" + esc(label) + "</td>" : "", s.name(), s.psnr(), s.ssim(),
          in.mask() != null ? String.format(Locale.ROOT, "<td>%.4f</td>", s.ssimMasked()) : "",
          s.mae(), s.mse()));
    }
  }

  private void appendMap(StringBuilder h, int t) {
    String name = MapEvaluation.name(t, ref.nt());
    List<Column> cols = columns(t);
    h.append("<h2>").append(esc(name)).append("</h2>\n<p class=\"note\">")
        .append(in.radiological() ? "Radiological: the patient's right is on the left of axial"
            + " and coronal pictures." : "Neurological: the patient's left is on the left of"
            + " axial and coronal pictures.")
        .append(" Axial: anterior at the top. Sagittal: anterior on the left.</p>\n")
        .append("<table><tr><th></th>");
    for (Column c : cols) {
      h.append("<th>").append(esc(c.heading())).append("<br><span class=\"note\">")
          .append(SliceImages.number(c.lo())).append(" .. ").append(SliceImages.number(c.hi()))
          .append("</span>").append(img(colorbar(), "colour scale")).append("</th>");
    }
    h.append("</tr>\n");
    for (Plane p : Plane.values()) {
      h.append("<tr><th>").append(p.label()).append("</th>");
      for (Column c : cols) {
        h.append("<td>").append(img(picture(c, p, planeIndex(p)), p.label() + " "
            + c.heading())).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
    if (in.viewer()) {
      appendScroller(h, t, cols);
    }
  }

  /** Axial slices of every column behind a slider, swapped by a few lines of JavaScript. */
  private void appendScroller(StringBuilder h, int t, List<Column> cols) {
    int n = orientation.size(2);
    int perMap = Math.max(1, in.viewerImages() / Math.max(1, ref.nt() * cols.size()));
    int step = Math.max(1, (n + perMap - 1) / Math.max(1, perMap));
    List<Integer> slices = new ArrayList<>();
    for (int s = 0; s < n; s += step) {
      slices.add(s);
    }
    int start = slices.indexOf(planeIndex(Plane.AXIAL) / step * step);
    h.append(String.format(Locale.ROOT, "<p>Scroll axial slices: <input type=\"range\" min=\"0\""
            + " max=\"%d\" value=\"%d\" id=\"s%d\" oninput=\"show(%d,this.value)\"> <span"
            + " id=\"l%d\"></span></p>%n<table><tr>", slices.size() - 1, Math.max(0, start), t,
        t, t));
    for (int c = 0; c < cols.size(); c++) {
      h.append(String.format(Locale.ROOT, "<td><img id=\"v%dc%d\" alt=\"%s\"></td>", t, c,
          esc(cols.get(c).heading())));
    }
    h.append("</tr></table>\n");
    if (script.length() == 0) {
      script.append("var V = {}, S = {};\nfunction show(m, i) {\n")
          .append("  for (var c = 0; c < V[m].length; c++) {\n")
          .append("    document.getElementById('v' + m + 'c' + c).src = V[m][c][i];\n  }\n")
          .append("  document.getElementById('l' + m).textContent = 'slice ' + S[m][i] + ' of '")
          .append(" + S[m].n + ' (from inferior)';\n}\n");
    }
    script.append("V[").append(t).append("] = [");
    for (Column c : cols) {
      script.append("[");
      for (int s : slices) {
        script.append("'").append(dataUri(picture(c, Plane.AXIAL, s))).append("',");
      }
      script.append("],\n");
    }
    script.append("];\nS[").append(t).append("] = ").append(slices).append("; S[").append(t)
        .append("].n = ").append(n).append(";\nshow(").append(t).append(", ")
        .append(Math.max(0, start)).append(");\n");
  }

  /** Per map the prediction, the comparison, the reference and the error, for NiiVue. */
  private List<NiivueViewer.Layer> viewerLayers() {
    List<NiivueViewer.Layer> layers = new ArrayList<>();
    for (int t = 0; t < ref.nt(); t++) {
      String name = MapEvaluation.name(t, ref.nt()) + ": ";
      for (Column c : columns(t)) {
        if (!c.heading().startsWith("low-res")) {
          layers.add(new NiivueViewer.Layer(name + c.heading(), c.volume(), c.lo(), c.hi(),
              "viridis"));
        }
      }
    }
    return layers;
  }

  private List<Column> columns(int t) {
    List<Column> cols = new ArrayList<>();
    if (input != null) {
      boolean maps = input.nt() == ref.nt();
      Volume low = NearestResample.onto(input, maps ? t : in.inputVolume(), ref.grid());
      double[] r = maps ? new double[] {0, in.range()} : SliceImages.robustRange(low.data());
      cols.add(new Column(maps ? "low-res input" : "low-res input, volume " + in.inputVolume(),
          low, r[0], r[1]));
    }
    Volume p = pred.volume(t);
    Volume r = ref.volume(t);
    float[] err = absDiff(p, r);
    Volume c = compare == null ? null : compare.volume(t);
    float[] cerr = c == null ? null : absDiff(c, r);
    cols.add(new Column(in.predLabel(), p, 0, in.range()));
    if (uncertainty != null) {
      Volume sd = uncertainty.volume(t);
      cols.add(new Column(in.predLabel() + ": sd over samples", sd, 0,
          Math.max(1e-6, SliceImages.robustRange(sd.data())[1])));
    }
    if (c != null) {
      cols.add(new Column(in.compareLabel(), c, 0, in.range()));
    }
    cols.add(new Column("reference", r, 0, in.range()));
    // one error scale for both methods, so their error pictures compare directly
    double errHi = Math.max(1e-6, SliceImages.robustRange(err)[1]);
    if (cerr != null) {
      errHi = Math.max(errHi, SliceImages.robustRange(cerr)[1]);
    }
    cols.add(new Column("|" + in.predLabel() + " - reference|", Volume.of(r.grid(), err), 0,
        errHi));
    if (cerr != null) {
      cols.add(new Column("|" + in.compareLabel() + " - reference|", Volume.of(r.grid(), cerr),
          0, errHi));
    }
    return cols;
  }

  private static float[] absDiff(Volume a, Volume b) {
    float[] err = new float[b.data().length];
    for (int i = 0; i < err.length; i++) {
      err[i] = Math.abs(a.data()[i] - b.data()[i]);
    }
    return err;
  }

  private int planeIndex(Plane p) {
    int w = p == Plane.AXIAL ? 2 : p == Plane.CORONAL ? 1 : 0;
    return orientation.displayIndex(w, in.voxel());
  }

  private BufferedImage picture(Column c, Plane p, int index) {
    Plane.Slice s = p.cut(c.volume(), 0, orientation, index, in.radiological());
    double maxMm = 0;
    for (int w = 0; w < 3; w++) {
      maxMm = Math.max(maxMm, orientation.size(w) * orientation.voxelMm(w));
    }
    return TriPlanarFigure.lettered(SliceImages.render(s, Colormap.VIRIDIS, c.lo(), c.hi(),
        PANEL_PX / maxMm), s);
  }

  private static BufferedImage colorbar() {
    BufferedImage b = new BufferedImage(120, 8, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 120; x++) {
      for (int y = 0; y < 8; y++) {
        b.setRGB(x, y, Colormap.VIRIDIS.rgb(x, 0, 119));
      }
    }
    return b;
  }

  private void appendSettings(StringBuilder h) {
    h.append("<h2>Settings</h2>\n<table class=\"metrics\">\n");
    row(h, in.predLabel(), in.pred().toString());
    if (in.compare() != null) {
      row(h, in.compareLabel(), in.compare().toString());
    }
    row(h, "reference", in.ref().toString());
    row(h, "low-resolution input", in.input() == null ? "none" : in.input()
        + (input != null && input.nt() != ref.nt() ? " (volume " + in.inputVolume()
            + ", nearest-neighbour resampled)" : " (nearest-neighbour resampled)"));
    row(h, "mask", in.mask() == null ? "none (all voxels)" : in.mask().toString());
    row(h, "data range R", SliceImages.number(in.range()));
    row(h, "grid", ref.grid().shape() + ", voxel " + String.format(Locale.ROOT,
        "%.3g x %.3g x %.3g mm", ref.grid().voxelSizes()[0], ref.grid().voxelSizes()[1],
        ref.grid().voxelSizes()[2]) + ", stored " + ref.grid().affine().axisCodes());
    row(h, "planes through voxel", String.format(Locale.ROOT, "(%d, %d, %d)", in.voxel()[0],
        in.voxel()[1], in.voxel()[2]));
    row(h, "display", in.radiological() ? "radiological: patient's right on the left"
        : "neurological: patient's left on the left; anterior at the top (axial), superior at"
            + " the top (coronal, sagittal), anterior on the left (sagittal)");
    row(h, "colour map", "viridis");
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, String k, String v) {
    h.append("<tr><th>").append(esc(k)).append("</th><td style=\"text-align:left\">")
        .append(esc(v)).append("</td></tr>\n");
  }

  private static String img(BufferedImage b, String alt) {
    return "<img src=\"" + dataUri(b) + "\" alt=\"" + esc(alt) + "\">";
  }

  private static String dataUri(BufferedImage b) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(SliceImages.png(b));
  }

  private static String name(Path p) {
    return p.getFileName().toString();
  }

  static String esc(String s) {
    return PageStyle.esc(s);
  }
}
