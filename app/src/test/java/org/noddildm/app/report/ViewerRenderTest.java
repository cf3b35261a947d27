package org.noddildm.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.core.io.NiftiWriter;

/**
 * The NiiVue viewer of both reports works in a real browser, offline from file://: no console
 * error, a canvas with a drawn picture, and a wheel event over the axial plane that moves to
 * another slice, which the crosshair readout follows. The check runs from a copy of each page
 * with a test script appended (the shipped page has no test code in it).
 */
@Tag("slow")
class ViewerRenderTest {
  @TempDir
  static Path dir;

  @BeforeAll
  static void writeMaps() throws Exception {
    DemoMaps d = DemoMaps.make(24, 3);
    NiftiWriter.write(dir.resolve("pred_noddi.nii.gz"), d.prediction());
    NiftiWriter.write(dir.resolve("ref.nii.gz"), d.reference());
    NiftiWriter.write(dir.resolve("pred_mask.nii.gz"), d.mask().toVolume());
  }

  @Test
  void theQcReportViewerDrawsAndScrolls() throws Exception {
    HeadlessChromium.assumeInstalled();
    assertEquals(0, Main.newCommandLine().execute("qc-report", "--pred",
        dir.resolve("pred").toString(), "--compare", dir.resolve("ref.nii.gz").toString(),
        "--out", dir.resolve("qc").toString()));
    check(dir.resolve("qc/index.html"), "qc");
  }

  @Test
  void theTruthReportViewerDrawsAndScrolls() throws Exception {
    HeadlessChromium.assumeInstalled();
    assertEquals(0, Main.newCommandLine().execute("report", "--pred",
        dir.resolve("pred_noddi.nii.gz").toString(), "--ref", dir.resolve("ref.nii.gz")
            .toString(), "--out", dir.resolve("truth").toString()));
    check(dir.resolve("truth/index.html"), "truth");
  }

  private static void check(Path page, String name) throws Exception {
    String html = Files.readString(page);
    int end = html.lastIndexOf("</body>");
    Path probe = page.resolveSibling("probe.html");
    Files.writeString(probe, html.substring(0, end) + probeScript() + html.substring(end));
    Path work = Files.createDirectories(dir.resolve("chromium-" + name));
    HeadlessChromium.Output o = HeadlessChromium.dumpDom(work, probe);
    assertTrue(o.consoleErrors().isEmpty(), "console errors: " + o.consoleErrors());
    Matcher m = Pattern.compile("<pre id=\"probe\">([^<]*)</pre>").matcher(o.stdout());
    assertTrue(m.find(), "the probe did not finish: " + o.log());
    String text = m.group(1).replace("&quot;", "\"").replace("&amp;", "&");
    assertTrue(text.startsWith("{"), "probe failed: " + text);
    JsonObject r = JsonParser.parseString(text).getAsJsonObject();
    assertTrue(r.get("colours").getAsInt() > 50, "canvas looks blank: " + r);
    assertTrue(r.get("before").getAsString().startsWith("voxel ("), "no readout: " + r);
    assertNotEquals(r.get("z0").getAsDouble(), r.get("z1").getAsDouble(), "no scroll: " + r);
    assertNotEquals(r.get("before").getAsString(), r.get("after").getAsString(),
        "the readout did not follow the scroll: " + r);
  }

  /** Waits for the viewer, counts the canvas colours, scrolls the axial plane once. */
  private static String probeScript() {
    return """
        <script>
        (async function () {
          var out = document.createElement('pre');
          out.id = 'probe';
          document.body.appendChild(out);
          try {
            var v = window.noddiViewers[0];
            await v.ready;
            var nv = v.nv;
            nv.drawScene();
            var gl = nv.gl, w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
            var px = new Uint8Array(w * h * 4);
            gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
            var colours = new Set();
            for (var i = 0; i < px.length; i += 28) {
              colours.add(px[i] << 16 | px[i + 1] << 8 | px[i + 2]);
            }
            var before = document.getElementById('nvLoc').textContent;
            var z0 = nv.scene.crosshairPos[2];
            var r = nv.canvas.getBoundingClientRect();
            nv.canvas.dispatchEvent(new WheelEvent('wheel', {deltaY: 120, bubbles: true,
                cancelable: true, clientX: r.left + r.width * 0.15,
                clientY: r.top + r.height * 0.25}));
            await new Promise(function (res) { setTimeout(res, 200); });
            out.textContent = JSON.stringify({colours: colours.size, before: before,
                after: document.getElementById('nvLoc').textContent, z0: z0,
                z1: nv.scene.crosshairPos[2]});
          } catch (e) {
            out.textContent = 'ERR ' + e;
            console.error('ERR ' + e);
          }
        })();
        </script>
        """;
  }
}
