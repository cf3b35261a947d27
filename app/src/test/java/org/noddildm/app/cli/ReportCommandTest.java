package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.app.report.DemoMaps;
import org.noddildm.app.report.NiivueViewer;
import org.noddildm.core.io.NiftiWriter;

class ReportCommandTest {
  @Test
  void reportOfASyntheticSubjectIsOneSelfContainedPage(@TempDir Path dir) throws Exception {
    DemoMaps d = DemoMaps.make(24, 4);
    NiftiWriter.write(dir.resolve("pred.nii.gz"), d.prediction());
    NiftiWriter.write(dir.resolve("ref.nii.gz"), d.reference());
    NiftiWriter.write(dir.resolve("low.nii.gz"), d.lowRes());
    NiftiWriter.write(dir.resolve("mask.nii.gz"), d.mask().toVolume());
    NiftiWriter.write(dir.resolve("labels.nii.gz"), d.labels());
    Path out = dir.resolve("report");
    int code = Main.newCommandLine().execute("report", "--pred", dir.resolve("pred.nii.gz")
        .toString(), "--ref", dir.resolve("ref.nii.gz").toString(), "--input",
        dir.resolve("low.nii.gz").toString(), "--mask", dir.resolve("mask.nii.gz").toString(),
        "--labels", dir.resolve("labels.nii.gz").toString(), "--out", out.toString());
    assertEquals(0, code);
    String html = Files.readString(out.resolve("index.html"));
    for (String s : new String[] {"<h2>NDI</h2>", "<h2>ODI</h2>", "<h2>FWF</h2>",
        "low-res input", "prediction", "reference", "|prediction - reference|", "Axial",
        "Coronal", "Sagittal", "PSNR (dB)", "SSIM in mask", "Neurological", "function show",
        "Per tissue", "<td>WM</td>", "<td>CSF</td>"}) {
      assertTrue(html.contains(s), "page lacks " + s);
    }
    // 3 maps x 3 planes x 4 columns static pictures (+ colour bars), plus 24 axial slices x 4
    // columns x 3 maps in the scroller.
    int images = html.split("data:image/png;base64,", -1).length - 1;
    assertTrue(images >= 36 + 3 * 4 * 24, "embedded images: " + images);
    // the inlined NiiVue library names URLs in its messages; the page itself names none
    String own = html.replace(NiivueViewer.library(), "");
    assertTrue(own.length() < html.length(), "the viewer's library is inlined");
    assertFalse(own.contains("http://") || own.contains("https://") || own.contains("src=\"/")
        || own.contains("<link"), "the page must not load anything from outside");
  }

  @Test
  void aSecondPredictionIsScoredAndShownBesideTheFirst(@TempDir Path dir) throws Exception {
    DemoMaps d = DemoMaps.make(16, 4);
    NiftiWriter.write(dir.resolve("pred.nii.gz"), d.prediction());
    NiftiWriter.write(dir.resolve("ref.nii.gz"), d.reference());
    // the "baseline" is the reference itself: its PSNR row must be infinite, its error zero
    NiftiWriter.write(dir.resolve("base.nii.gz"), d.reference());
    Path out = dir.resolve("report");
    int code = Main.newCommandLine().execute("report", "--pred", dir.resolve("pred.nii.gz")
        .toString(), "--ref", dir.resolve("ref.nii.gz").toString(), "--compare",
        dir.resolve("base.nii.gz").toString(), "--pred-label", "deep model", "--compare-label",
        "classic fit", "--no-viewer", "--out", out.toString());
    assertEquals(0, code);
    String html = Files.readString(out.resolve("index.html"));
    for (String s : new String[] {"deep model and classic fit against reference",
        "<th>method</th>", "<td>deep model</td><td>NDI</td>", "<td>classic fit</td><td>NDI</td>",
        "<td>classic fit</td><td>NDI</td><td>Infinity</td>", "|deep model - reference|",
        "|classic fit - reference|"}) {
      assertTrue(html.contains(s), "page lacks " + s);
    }
    // 3 maps x 3 planes x 5 columns (model, baseline, reference, 2 errors) + 5 colour bars each
    int images = html.split("data:image/png;base64,", -1).length - 1;
    assertEquals(3 * 3 * 5 + 3 * 5, images);
  }

  @Test
  void uncertaintyMapsGetTheirOwnColumnAndAreCheckedAgainstTheReferenceGrid(@TempDir Path dir)
      throws Exception {
    DemoMaps d = DemoMaps.make(16, 4);
    NiftiWriter.write(dir.resolve("pred.nii.gz"), d.prediction());
    NiftiWriter.write(dir.resolve("ref.nii.gz"), d.reference());
    String sd = "";
    for (int t = 0; t < 3; t++) {
      Path f = dir.resolve("sd" + t + ".nii.gz");
      NiftiWriter.write(f, d.reference().volume(t));
      sd += (t == 0 ? "" : ",") + f;
    }
    Path out = dir.resolve("report");
    int code = Main.newCommandLine().execute("report", "--pred", dir.resolve("pred.nii.gz")
        .toString(), "--ref", dir.resolve("ref.nii.gz").toString(), "--uncertainty", sd,
        "--no-viewer", "--out", out.toString());
    assertEquals(0, code);
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("prediction: sd over samples"), "no uncertainty column");
    // 3 maps x 3 planes x 4 columns (prediction, sd, reference, error) + 4 colour bars each
    assertEquals(3 * 3 * 4 + 3 * 4, html.split("data:image/png;base64,", -1).length - 1);

    int bad = Main.newCommandLine().execute("report", "--pred", dir.resolve("pred.nii.gz")
        .toString(), "--ref", dir.resolve("ref.nii.gz").toString(), "--uncertainty",
        dir.resolve("sd0.nii.gz").toString(), "--out", dir.resolve("bad").toString());
    assertEquals(1, bad);
    assertFalse(Files.exists(dir.resolve("bad/index.html")), "no page on bad input");
  }
}
