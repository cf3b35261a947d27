package org.noddildm.app.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.io.NiftiDataType;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Volume;

/**
 * The interactive viewer of a report: NiiVue (BSD-2-Clause, https://niivue.com, bundled from
 * the npm package {@code @niivue/niivue} at build time, see app/pom.xml) in its multiplanar view
 * (axial, coronal, sagittal with a crosshair, orientation letters and a colour bar), a menu of
 * the maps and a readout of every map's value at the crosshair.
 *
 * <p>Offline from {@code file://}: the library is inlined as a classic script (its UMD build
 * defines the global {@code niivue}), and each map is embedded as a gzipped NIfTI in base64,
 * decoded in the page by {@code NVImage.loadFromBase64}. Maps are stored as int16 with a scale
 * factor, which keeps the values to about 1/30000 of their range and halves the page against
 * float32. All maps are loaded as layers on the first map's grid; the menu shows one at a time.
 * The page publishes {@code window.noddiViewers} (each {@code {nv, ready}}) for scripted checks.
 */
public final class NiivueViewer {
  static final String RESOURCE = "/org/noddildm/app/report/niivue/niivue.umd.js";
  private static String library;

  /**
   * One map of the viewer.
   *
   * @param label its name in the menu and the readout
   * @param volume a 3D volume
   * @param lo bottom of the colour scale
   * @param hi top of the colour scale
   * @param colormap a NiiVue colour map name (viridis, gray, ...)
   */
  public record Layer(String label, Volume volume, double lo, double hi, String colormap) {}

  private NiivueViewer() {}

  /** Whether this build carries NiiVue (a jar built by Maven always does). */
  public static boolean bundled() {
    return NiivueViewer.class.getResource(RESOURCE) != null;
  }

  /** The NiiVue release bundled, from version.properties. */
  public static String version() {
    java.util.Properties p = new java.util.Properties();
    try (InputStream in = NiivueViewer.class.getResourceAsStream(
        "/org/noddildm/app/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("niivue", "unknown");
    return v.startsWith("${") ? "unknown" : v;
  }

  /**
   * The viewer's HTML: a heading, the canvas, the menu and readout, and its scripts (library
   * first). Without the bundled library, a note saying so instead.
   *
   * @param radiological patient's right on the left of axial and coronal planes
   */
  public static String html(List<Layer> layers, boolean radiological) throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("<h2 id=\"viewer\">Viewer</h2>\n");
    if (!bundled()) {
      return h.append("<p class=\"note\">This build of noddi carries no NiiVue viewer (the"
          + " Maven build bundles it; see docs/user-guide.md).</p>\n").toString();
    }
    h.append("<p class=\"note\">NiiVue (BSD-2-Clause) ").append(ReportPage.esc(version())).append(": click or"
        + " drag in a plane to move the crosshair; the scroll wheel moves through the slices of"
        + " the plane under the mouse; the readout gives every map's value at the crosshair. ")
        .append(radiological ? "Radiological" : "Neurological").append(" convention.</p>\n")
        .append("<p>Map: <select id=\"nvMenu\">");
    for (int i = 0; i < layers.size(); i++) {
      h.append("<option value=\"").append(i).append("\">")
          .append(ReportPage.esc(layers.get(i).label())).append("</option>");
    }
    h.append("</select></p>\n<div class=\"viewer\"><canvas id=\"nvCanvas\"></canvas></div>\n")
        .append("<p id=\"nvLoc\" class=\"readout\">loading...</p>\n")
        .append("<script>\n").append(library()).append("\n</script>\n<script>\n")
        .append(script(layers, radiological)).append("</script>\n");
    return h.toString();
  }

  private static String script(List<Layer> layers, boolean radiological) throws IOException {
    StringBuilder s = new StringBuilder("var noddiLayers = [\n");
    for (Layer l : layers) {
      s.append(String.format(Locale.ROOT, "{label: '%s', lo: %s, hi: %s, cmap: '%s', b64: '",
          jsString(l.label()), l.lo(), l.hi(), jsString(l.colormap())))
          .append(Base64.getEncoder().encodeToString(niftiGz(l.volume()))).append("'},\n");
    }
    s.append("];\n")
        .append("window.noddiViewers = window.noddiViewers || [];\n")
        .append("(function () {\n")
        .append("  var readout = document.getElementById('nvLoc');\n")
        .append("  var menu = document.getElementById('nvMenu');\n")
        .append("  function show(d) {\n")
        .append("    var v = d.vox.map(function (x) { return Math.round(x); });\n")
        .append("    var text = 'voxel (' + v.join(', ') + ')';\n")
        .append("    for (var i = 0; i < d.values.length && i < noddiLayers.length; i++) {\n")
        .append("      text += ' | ' + noddiLayers[i].label + ' ' + d.values[i].value.toFixed(4);\n")
        .append("    }\n")
        .append("    readout.textContent = text;\n")
        .append("  }\n")
        .append("  var nv = new niivue.Niivue({backColor: [0, 0, 0, 1], isColorbar: true,\n")
        .append("      crosshairWidth: 1, crosshairColor: [1, 0, 0, 0.7],\n")
        .append("      isOrientationTextVisible: true, isRadiologicalConvention: ")
        .append(radiological).append(",\n")
        .append("      multiplanarShowRender: niivue.SHOW_RENDER.NEVER, onLocationChange: show});\n")
        .append("  var ready = nv.attachTo('nvCanvas').then(async function () {\n")
        .append("    for (var i = 0; i < noddiLayers.length; i++) {\n")
        .append("      var l = noddiLayers[i];\n")
        .append("      nv.addVolume(await niivue.NVImage.loadFromBase64({base64: l.b64,\n")
        .append("          name: 'map' + i + '.nii.gz', colormap: l.cmap, cal_min: l.lo,\n")
        .append("          cal_max: l.hi, opacity: i === 0 ? 1 : 0}));\n")
        .append("    }\n")
        .append("    nv.setSliceType(nv.sliceTypeMultiplanar);\n")
        .append("    menu.onchange = function () {\n")
        .append("      for (var i = 0; i < noddiLayers.length; i++) {\n")
        .append("        nv.setOpacity(i, String(i) === menu.value ? 1 : 0);\n")
        .append("      }\n")
        .append("    };\n")
        .append("    nv.moveCrosshairInVox(0, 0, 0);\n")
        .append("  });\n")
        .append("  window.noddiViewers.push({nv: nv, ready: ready});\n")
        .append("})();\n");
    return s.toString();
  }

  /** {@code v} as gzipped int16 NIfTI bytes (NaN written as 0). */
  static byte[] niftiGz(Volume v) throws IOException {
    float[] data = v.data().clone();
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        data[i] = 0;
      }
    }
    Path tmp = Files.createTempFile("noddi-viewer", ".nii.gz");
    try {
      NiftiWriter.write(tmp, new Volume(v.grid(), v.nt(), data),
          NiftiWriter.Options.defaults().withType(NiftiDataType.INT16));
      return Files.readAllBytes(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The bundled library's source, read once. */
  public static synchronized String library() throws IOException {
    if (library == null) {
      try (InputStream in = NiivueViewer.class.getResourceAsStream(RESOURCE)) {
        String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        // the page inlines it: a literal end tag would close the script element early
        library = js.replace("</script", "<\\/script");
      }
    }
    return library;
  }

  private static String jsString(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\x3c")
        .replace("\n", "\\n");
  }
}
