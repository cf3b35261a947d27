package org.noddildm.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.core.io.NiftiWriter;

/**
 * The report renders in a real browser: Debian's headless Chromium loads the page offline, its
 * script fills the slice scroller without console errors, and a screenshot is not blank.
 * Missing Chromium skips locally and fails in CI ({@code CI=true}), where .ci/run installs it.
 */
class ReportRenderTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @Test
  void reportRendersInHeadlessChromiumWithoutConsoleErrors(@TempDir Path dir) throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      String msg = CHROMIUM + " is not installed (apt-get install chromium)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg);
      }
      Assumptions.assumeTrue(false, msg);
    }
    DemoMaps d = DemoMaps.make(24, 5);
    NiftiWriter.write(dir.resolve("pred.nii.gz"), d.prediction());
    NiftiWriter.write(dir.resolve("ref.nii.gz"), d.reference());
    Path out = dir.resolve("report");
    assertEquals(0, Main.newCommandLine().execute("report", "--pred",
        dir.resolve("pred.nii.gz").toString(), "--ref", dir.resolve("ref.nii.gz").toString(),
        "--out", out.toString()));
    String url = out.resolve("index.html").toUri().toString();

    Chrome dom = chromium(dir, "--enable-logging=stderr", "--v=0", "--dump-dom", url);
    for (String line : dom.log) {
      if (line.contains(":CONSOLE") && (line.contains("Uncaught") || line.contains("Error"))) {
        fail("console error: " + line);
      }
    }
    // The script set the caption of every map's scroller (24 axial slices, the middle shown).
    String html = String.join("\n", dom.stdout);
    for (int m = 0; m < 3; m++) {
      assertTrue(html.contains("id=\"l" + m + "\">slice 12 of 24 (from inferior)<"),
          "scroller " + m + " not filled in by the script");
    }

    Path shot = dir.resolve("shot.png");
    chromium(dir, "--hide-scrollbars", "--window-size=1000,1400", "--screenshot=" + shot, url);
    BufferedImage img = ImageIO.read(shot.toFile());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        colours.add(img.getRGB(x, y) & 0xffffff);
      }
    }
    assertTrue(colours.size() > 100, "screenshot looks blank: " + colours.size() + " colours");
  }

  private record Chrome(List<String> stdout, List<String> log) {}

  private static Chrome chromium(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + dir.resolve("chromium-profile")));
    cmd.addAll(List.of(args));
    Path stdout = dir.resolve("chromium.out");
    Path stderr = dir.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium timed out");
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
    return new Chrome(Files.readAllLines(stdout), Files.readAllLines(stderr));
  }
}
