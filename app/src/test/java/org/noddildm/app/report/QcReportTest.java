package org.noddildm.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.app.view.SliceImages;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.physics.Directions;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import picocli.CommandLine;

/** The QC report's content, read from its HTML without a browser. */
class QcReportTest {
  @TempDir
  static Path dir;
  static String html;
  static String withScan;

  @BeforeAll
  static void writeReport() throws Exception {
    DemoMaps d = DemoMaps.make(20, 7);
    NiftiWriter.write(dir.resolve("sub01_noddi.nii.gz"), d.prediction());
    NiftiWriter.write(dir.resolve("sub01_mask.nii.gz"), d.mask().toVolume());
    String[] names = {"ndi", "odi", "fwf"};
    for (int t = 0; t < 3; t++) {
      Volume sd = d.prediction().volume(t);
      NiftiWriter.write(dir.resolve("sub01_" + names[t] + "_std.nii.gz"), sd);
    }
    Files.writeString(dir.resolve("sub01_prediction.json"), "{\"method\": \"ldm\", \"steps\":"
        + " 10, \"dwi\": \"" + dir.resolve("scan.nii.gz") + "\", \"mask\": \"" + dir.resolve(
            "m.nii.gz") + "\", \"modelIdentity\": {\"id\": \"sha256:abc\"}}");
    NiftiWriter.write(dir.resolve("classic_noddi.nii.gz"), d.reference());
    assertEquals(0, Main.newCommandLine().execute("qc-report", "--pred",
        dir.resolve("sub01").toString(), "--compare", dir.resolve("classic").toString(),
        "--out", dir.resolve("qc").toString()));
    html = Files.readString(dir.resolve("qc/index.html"));
    writeScan(d);
    assertEquals(0, Main.newCommandLine().execute("qc-report", "--pred",
        dir.resolve("sub01").toString(), "--dwi", dir.resolve("scan_dwi.nii.gz").toString(),
        "--out", dir.resolve("qc-scan").toString()));
    withScan = Files.readString(dir.resolve("qc-scan/index.html"));
  }

  /**
   * A small scan beside the maps: the demo brain on a grid of half the resolution, 2 b0s (the
   * second brighter, so that the SNR is finite), 6 directions at b=1000 (two pointing down) and
   * 10 at b=2000, each shell darker; FSL bval/bvec beside it.
   */
  static void writeScan(DemoMaps d) throws Exception {
    Volume brain = VolumeOps.downsample(d.mask().toVolume(), 2);
    int n = brain.grid().size();
    double[] b = new double[18];
    double[][] g = new double[18][];
    g[0] = new double[3];
    g[1] = new double[3];
    double[][] six = Directions.electrostatic(6);
    six[0] = new double[] {-six[0][0], -six[0][1], -six[0][2]};
    six[3] = new double[] {-six[3][0], -six[3][1], -six[3][2]};
    double[][] ten = Directions.electrostatic(10);
    for (int k = 0; k < 16; k++) {
      b[2 + k] = k < 6 ? 1000 : 2000;
      g[2 + k] = k < 6 ? six[k] : ten[k - 6];
    }
    float[] data = new float[18 * n];
    for (int t = 0; t < 18; t++) {
      for (int i = 0; i < n; i++) {
        double s0 = brain.at(i, 0) > 0.5 ? 1000 : 20;
        data[t * n + i] = (float) (s0 * Math.exp(-0.0007 * b[t]) + (t == 1 ? 30 : 0)
            + 7 * ((i * 31 + t * 17) % 11));
      }
    }
    NiftiWriter.write(dir.resolve("scan_dwi.nii.gz"), new Volume(brain.grid(), 18, data));
    GradientIO.writeFsl(GradientTable.of(b, g), dir.resolve("scan_dwi.bval"),
        dir.resolve("scan_dwi.bvec"));
  }

  @Test
  void everySectionIsThere() {
    for (String id : List.of("summary", "maps", "sd", "histograms", "difference", "viewer",
        "methods", "settings", "versions")) {
      assertTrue(html.contains("id=\"" + id + "\""), id);
    }
    assertTrue(html.contains("Zhang") && html.contains("Song") && html.contains("CLDM"));
    assertTrue(html.contains("ldm - classic, NDI"), "the difference of ldm from classic");
    assertTrue(html.contains("sha256:abc"), "the model id");
  }

  @Test
  void eachEstimateHasAHistogramPerMapWithALinePerTissue() {
    Matcher m = Pattern.compile("<svg class=\"hist\" data-estimate=\"(\\w+)\" data-map=\"(\\w+)"
        + "\".*?</svg>").matcher(html);
    int charts = 0;
    while (m.find()) {
      charts++;
      for (String tissue : List.of("csf", "wm", "gm")) {
        assertTrue(m.group().contains("data-tissue=\"" + tissue + "\""), m.group(1) + " "
            + m.group(2) + " " + tissue);
      }
    }
    assertEquals(2 * 3, charts, "ldm and classic, NDI, ODI and FWF");
  }

  @Test
  void everyPictureCarriesItsOrientationLetters() throws Exception {
    Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
    int pictures = 0;
    while (m.find()) {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
          m.group(1))));
      assertTrue(hasLetterColour(img), "a picture without orientation letters");
      pictures++;
    }
    assertEquals(3 * 2 + 3 + 3, pictures, "maps of two estimates, sd, difference");
  }

  @Test
  void withTheScanTheMeanB0AndEachShellAreShownWithLettersAndTheMaskOutline() throws Exception {
    String input = section(withScan, "input", "gradients");
    Matcher m = Pattern.compile("<img class=\"scan\" src=\"data:image/png;base64,([^\"]+)\""
        + " alt=\"([^\"]+)\"").matcher(input);
    List<String> titles = new java.util.ArrayList<>();
    while (m.find()) {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
          m.group(1))));
      assertTrue(hasLetterColour(img), m.group(2) + " without orientation letters");
      assertTrue(hasColour(img, SliceImages.OUTLINE.getRGB()), m.group(2) + " without the"
          + " mask outline");
      titles.add(m.group(2));
    }
    assertEquals(List.of("mean b0 (2 volumes) in three planes", "mean DWI, b=1000 (6 volumes)"
        + " in three planes", "mean DWI, b=2000 (10 volumes) in three planes"), titles);
    assertTrue(input.contains("scan_dwi.nii.gz, 10 x 10 x 10 x 18 volumes"),
        input.substring(0, 400));
    assertFalse(withScan.contains(dir.toString()), "a path of this machine in the page");
  }

  @Test
  void withTheScanEachShellHasItsDirectionsOnTheSphere() {
    Matcher m = Pattern.compile("<svg class=\"sphere\" data-b=\"(\\d+)\" data-count=\"(\\d+)"
        + "\".*?</svg>").matcher(section(withScan, "gradients", "maps"));
    List<String> shells = new java.util.ArrayList<>();
    while (m.find()) {
      int points = m.group().split("<circle class=\"g\"", -1).length - 1;
      assertEquals(Integer.parseInt(m.group(2)), points, "b=" + m.group(1));
      shells.add(m.group(1) + " x " + points);
    }
    assertEquals(List.of("1000 x 6", "2000 x 10"), shells);
    assertTrue(withScan.contains("b=1000 s/mm&sup2;: 6 directions"), "the caption");
  }

  @Test
  void withoutTheScanItsSectionsSayWhatTheyNeed() {
    assertTrue(section(html, "input", "gradients").contains("need the scan (noddi qc-report"
        + " --dwi)"));
    assertFalse(html.contains("<svg class=\"sphere\""));
  }

  @Test
  void thePageNamesNoMachinePath() {
    assertFalse(html.contains(dir.toString()), "a path of this machine in the page");
    assertTrue(html.contains("m.nii.gz"), "the mask setting, cut to its file name");
  }

  @Test
  void aMissingPredictionIsOneClearLineAndNoPage() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("qc-report", "--pred", dir.resolve("none").toString(), "--out",
        dir.resolve("bad").toString());
    assertTrue(code != 0);
    assertTrue(err.toString().contains("expected " + dir.resolve("none") + "_noddi.nii.gz"),
        err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertFalse(Files.exists(dir.resolve("bad/index.html")));
  }

  /** Whether the picture has the orientation letters' colour (yellow) anywhere. */
  static boolean hasLetterColour(BufferedImage img) {
    return hasColour(img, 0xffd24a);
  }

  static boolean hasColour(BufferedImage img, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The page from the heading of id {@code from} to that of id {@code to}. */
  static String section(String page, String from, String to) {
    int a = page.indexOf("id=\"" + from + "\"");
    int b = page.indexOf("id=\"" + to + "\"", a);
    assertTrue(a >= 0 && b > a, from + " then " + to);
    return page.substring(a, b);
  }
}
