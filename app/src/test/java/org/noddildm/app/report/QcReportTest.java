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
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine;

/** The QC report's content, read from its HTML without a browser. */
class QcReportTest {
  @TempDir
  static Path dir;
  static String html;

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
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == 0xffd24a) {
          return true;
        }
      }
    }
    return false;
  }
}
