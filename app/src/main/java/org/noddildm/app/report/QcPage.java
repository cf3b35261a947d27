package org.noddildm.app.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.app.view.Colormap;
import org.noddildm.app.view.SliceImages;
import org.noddildm.app.view.TriPlanarFigure;
import org.noddildm.app.view.ViewSettings;
import org.noddildm.core.metrics.MapEvaluation;
import org.noddildm.core.volume.Volume;

/**
 * The HTML of the QC report of real data (no ground truth): one self-contained page with the
 * summary (SNR, brain size, acquisition), the input scan's mean b0 and mean DWI per shell with
 * the brain-mask outline and each shell's gradient directions on the sphere (when the scan is
 * given), each estimate's maps in three planes with their orientation letters, the sd maps,
 * histograms per tissue class, the difference of each deep estimate from the classic fit, the
 * NiiVue viewer, the methods with references, the settings and the versions. Sections carry ids
 * (summary, input, gradients, maps, sd, histograms, difference, viewer, methods, settings,
 * versions) so that a reader can link to them. No file path appears: inputs are named by the
 * caller.
 */
public final class QcPage {
  private static final int PANEL_PX = 200;

  private final QcInputs in;

  QcPage(QcInputs in) {
    this.in = in;
  }

  /** Writes the report of {@code in} to {@code file} atomically (never half a page). */
  public static void write(java.nio.file.Path file, QcInputs in) throws IOException {
    java.nio.file.Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      java.nio.file.Files.createDirectories(dir);
    }
    org.noddildm.core.io.AtomicFiles.writeString(file, new QcPage(in).html());
  }

  String html() throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>noddi QC: ").append(esc(in.title())).append("</title>\n<style>")
        .append(PageStyle.CSS).append("</style>\n</head><body>\n<h1>NODDI quality report: ")
        .append(esc(in.title())).append("</h1>\n<p class=\"note\">No ground truth: these are"
            + " the figures a reader checks before trusting the maps. Sections: <a"
            + " href=\"#summary\">summary</a>, <a href=\"#input\">input scan</a>, <a"
            + " href=\"#gradients\">gradients</a>, <a href=\"#maps\">maps</a>, <a"
            + " href=\"#histograms\">histograms</a>, <a href=\"#viewer\">viewer</a>, <a"
            + " href=\"#methods\">methods</a>, <a href=\"#settings\">settings</a>.</p>\n");
    appendSummary(h);
    appendScan(h);
    appendMaps(h);
    appendHistograms(h);
    appendDifference(h);
    h.append(NiivueViewer.html(viewerLayers(), in.radiological()));
    h.append(MethodsText.html());
    appendTable(h, "settings", "Settings", in.settings());
    appendVersions(h);
    return h.append("</body></html>\n").toString();
  }

  private void appendSummary(StringBuilder h) {
    h.append("<h2 id=\"summary\">Summary</h2>\n<table class=\"metrics\">\n");
    row(h, "b0 temporal SNR", Double.isFinite(in.snr()) ? String.format(Locale.ROOT, "%.1f",
        in.snr()) : "n/a (needs the scan with at least two b0 volumes)");
    Volume first = in.estimates().get(0).maps();
    long brain = in.mask() == null ? first.grid().size() : countInside(in.mask());
    row(h, "brain voxels (output grid)", Long.toString(brain));
    row(h, "output grid", first.grid().shape() + ", voxel " + String.format(Locale.ROOT,
        "%.3g x %.3g x %.3g mm", first.grid().voxelSizes()[0], first.grid().voxelSizes()[1],
        first.grid().voxelSizes()[2]) + ", stored " + first.grid().affine().axisCodes());
    in.acquisition().forEach((k, v) -> row(h, k, v));
    List<String> names = new ArrayList<>();
    in.estimates().forEach(e -> names.add(e.name()));
    row(h, "estimates", String.join(", ", names));
    h.append("</table>\n");
  }

  private void appendScan(StringBuilder h) {
    if (in.scan() == null) {
      h.append("<h2 id=\"input\">Input scan</h2>\n<p class=\"note\">Not shown: the mean b0,"
          + " the mean DWI per shell and the gradient directions need the scan (noddi"
          + " qc-report --dwi).</p>\n<h2 id=\"gradients\">Gradient directions</h2>\n<p"
          + " class=\"note\">Not shown: needs the scan.</p>\n");
      return;
    }
    h.append(ScanFigures.html(in.scan(), in.estimates().get(0).maps().grid(), in.voxel(),
        in.radiological(), PANEL_PX));
  }

  private void appendMaps(StringBuilder h) {
    h.append("<h2 id=\"maps\">Maps</h2>\n<p class=\"note\">Three planes through voxel ")
        .append(String.format(Locale.ROOT, "(%d, %d, %d)", in.voxel()[0], in.voxel()[1],
            in.voxel()[2])).append("; the letters give the patient's directions (L/R, A/P,"
            + " S/I). Colour scale 0..1.</p>\n");
    for (QcInputs.Estimate e : in.estimates()) {
      h.append("<h3>").append(esc(e.name())).append("</h3>\n");
      for (int t = 0; t < 3; t++) {
        h.append(figure(e.maps(), t, 0, 1, Colormap.VIRIDIS, e.name() + " "
            + MapEvaluation.name(t, 3)));
      }
    }
    if (in.sd() != null) {
      h.append("<h3 id=\"sd\">sd over samples (").append(esc(in.estimates().get(0).name()))
          .append(")</h3>\n<p class=\"note\">Per-voxel standard deviation over the diffusion"
              + " samples: where the model is unsure. Scale 0 to the 99.5th percentile.</p>\n");
      for (int t = 0; t < 3; t++) {
        Volume v = in.sd().volume(t);
        h.append(figure(v, 0, 0, Math.max(1e-6, SliceImages.robustRange(v.data())[1]),
            Colormap.VIRIDIS, "sd of " + MapEvaluation.name(t, 3)));
      }
    }
  }

  private void appendHistograms(StringBuilder h) {
    h.append("<h2 id=\"histograms\">Histograms per tissue</h2>\n<p class=\"note\">Fraction of"
        + " each class's voxels per bin of 0.02. The classes are read from ")
        .append(classReference().name()).append(" for every estimate, so all are compared over"
            + " the same voxels.</p>\n");
    Volume[] classes = split(classReference().maps());
    Volume mask = in.mask() != null ? in.mask() : ones(classes[0]);
    for (QcInputs.Estimate e : in.estimates()) {
      h.append("<h3>").append(esc(e.name())).append("</h3>\n")
          .append(Histograms.html(e.name(), split(e.maps()), classes, mask));
    }
  }

  private void appendDifference(StringBuilder h) {
    QcInputs.Estimate classic = in.estimates().stream().filter(QcInputs.Estimate::classic)
        .findFirst().orElse(null);
    h.append("<h2 id=\"difference\">Deep model minus classic fit</h2>\n");
    if (classic == null || in.estimates().size() < 2) {
      h.append("<p class=\"note\">Not shown: it needs both a deep estimate and the classic"
          + " fit (noddi bids --method both).</p>\n");
      return;
    }
    h.append("<p class=\"note\">Signed difference on a symmetric scale (viridis: the middle"
        + " colour is no difference). Structure that follows anatomy is what the model adds;"
        + " noise-like speckle or blocks are a warning.</p>\n");
    for (QcInputs.Estimate e : in.estimates()) {
      if (e.classic()) {
        continue;
      }
      for (int t = 0; t < 3; t++) {
        Volume d = difference(e.maps().volume(t), classic.maps().volume(t));
        double r = Math.max(1e-6, robustAbs(d.data()));
        h.append(figure(d, 0, -r, r, Colormap.VIRIDIS, e.name() + " - classic, "
            + MapEvaluation.name(t, 3)));
      }
    }
  }

  private List<NiivueViewer.Layer> viewerLayers() {
    List<NiivueViewer.Layer> layers = new ArrayList<>();
    for (QcInputs.Estimate e : in.estimates()) {
      for (int t = 0; t < 3; t++) {
        layers.add(new NiivueViewer.Layer(e.name() + " " + MapEvaluation.name(t, 3),
            e.maps().volume(t), 0, 1, "viridis"));
      }
    }
    if (in.sd() != null) {
      for (int t = 0; t < 3; t++) {
        Volume v = in.sd().volume(t);
        layers.add(new NiivueViewer.Layer("sd " + MapEvaluation.name(t, 3), v, 0,
            Math.max(1e-6, SliceImages.robustRange(v.data())[1]), "viridis"));
      }
    }
    return layers;
  }

  private void appendVersions(StringBuilder h) {
    BuildInfo b = BuildInfo.current();
    Map<String, String> v = new java.util.LinkedHashMap<>();
    v.put("noddi-ldm", b.version());
    v.put("commit", b.commitText());
    v.putAll(in.model());
    v.put("NiiVue (viewer)", NiivueViewer.version());
    v.put("Java", System.getProperty("java.version"));
    appendTable(h, "versions", "Versions", v);
  }

  private QcInputs.Estimate classReference() {
    return in.estimates().stream().filter(QcInputs.Estimate::classic).findFirst()
        .orElse(in.estimates().get(0));
  }

  private String figure(Volume v, int t, double lo, double hi, Colormap cm, String title) {
    BufferedImage img = TriPlanarFigure.render(v, t, in.voxel(), new ViewSettings(cm, lo, hi,
        in.radiological(), PANEL_PX), title);
    return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(
        SliceImages.png(img)) + "\" alt=\"" + esc(title) + " in three planes\">\n";
  }

  private static Volume[] split(Volume maps) {
    return new Volume[] {maps.volume(0), maps.volume(1), maps.volume(2)};
  }

  private static Volume ones(Volume like) {
    float[] one = new float[like.grid().size()];
    java.util.Arrays.fill(one, 1);
    return Volume.of(like.grid(), one);
  }

  private static long countInside(Volume mask) {
    long n = 0;
    for (float f : mask.data()) {
      n += f != 0 ? 1 : 0;
    }
    return n;
  }

  private static Volume difference(Volume a, Volume b) {
    float[] d = new float[a.data().length];
    for (int i = 0; i < d.length; i++) {
      d[i] = a.data()[i] - b.data()[i];
    }
    return Volume.of(a.grid(), d);
  }

  /** The 99.5th percentile of |d|: a symmetric scale that ignores a few outliers. */
  private static double robustAbs(float[] d) {
    float[] a = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      a[i] = Math.abs(d[i]);
    }
    return SliceImages.robustRange(a)[1];
  }

  private static void appendTable(StringBuilder h, String id, String title,
      Map<String, String> rows) {
    h.append("<h2 id=\"").append(id).append("\">").append(title)
        .append("</h2>\n<table class=\"metrics\">\n");
    rows.forEach((k, v) -> row(h, k, v));
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, String k, String v) {
    h.append("<tr><th>").append(esc(k)).append("</th><td style=\"text-align:left\">")
        .append(esc(v)).append("</td></tr>\n");
  }

  private static String esc(String s) {
    return ReportPage.esc(s);
  }
}
