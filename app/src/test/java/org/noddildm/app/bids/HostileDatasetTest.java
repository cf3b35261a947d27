package org.noddildm.app.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.app.report.HeadlessChromium;

/**
 * Datasets made to hurt: labels that are not BIDS's alphabet ({@code ..}), names whose
 * subject is not their folder's, symbolic links out of the dataset (a scan, a whole subject),
 * a huge sidecar, sidecar strings with HTML and script that reach the QC report. Each ends in
 * a clear one-line error or a safe output, and nothing is written outside OUTPUT_DIR.
 */
class HostileDatasetTest {
  /** A script and an onerror attribute that mark the page's body if they ever run. */
  private static final String SCRIPT = "<script>document.body.setAttribute('data-pwned','1')"
      + "</script>";
  private static final String ONERROR = "<img src=x onerror=\\\"document.body.setAttribute("
      + "'data-pwned','2')\\\">";

  @TempDir
  static Path tmp;
  static Path scan;
  static Path bids;
  static Path outside;
  static Path out;
  static CliRunner.Result run;

  @BeforeAll
  static void runTheAppOnAHostileDataset() throws Exception {
    scan = BidsFixtures.scan(tmp);
    bids = BidsFixtures.raw(tmp.resolve("bids"), scan, List.of("sub-01/dwi/sub-01_dwi",
        "sub-03/dwi/sub-03_dwi"));
    Files.writeString(bids.resolve("sub-01/dwi/sub-01_dwi.json"), "{\"Manufacturer\": \""
        + SCRIPT + "\", \"ManufacturersModelName\": \"" + ONERROR + "\"}");
    // sub-02's scan is a link to a file outside the dataset; sub-04 is a link to a folder
    outside = tmp.resolve("outside");
    BidsFixtures.copyScan(scan, outside.resolve("secret/sub-04/dwi/sub-04_dwi"));
    Files.createDirectories(bids.resolve("sub-02/dwi"));
    for (String ext : List.of(".nii.gz", ".bval", ".bvec")) {
      Files.createSymbolicLink(bids.resolve("sub-02/dwi/sub-02_dwi" + ext),
          outside.resolve("secret/sub-04/dwi/sub-04_dwi" + ext));
    }
    Files.createSymbolicLink(bids.resolve("sub-04"), outside.resolve("secret/sub-04"));
    // sub-03's sidecar is 2 MB
    Files.writeString(bids.resolve("sub-03/dwi/sub-03_dwi.json"), "{\"EchoTime\": 0.08,"
        + " \"Junk\": \"" + "x".repeat(2_000_000) + "\"}");
    out = tmp.resolve("out");
    run = CliRunner.run("bids", bids.toString(), out.toString(), "participant", "--method",
        "classic", "--skip-bids-validation", "--no-progress");
  }

  @Test
  void linksOutOfTheDatasetAndAHugeSidecarFailTheirSubjectsInOneLine() throws Exception {
    assertEquals(1, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("sub-01: done"), run.out());
    for (String sub : List.of("sub-02", "sub-04")) {
      String line = run.out().lines().filter(l -> l.startsWith(sub + ": FAILED: "))
          .findFirst().orElseThrow(() -> new AssertionError(sub + " " + run.out()));
      assertTrue(line.contains("expected a file inside BIDS_DIR, found a symbolic link"), line);
      assertFalse(Files.exists(out.resolve(sub)), sub);
    }
    String big = run.out().lines().filter(l -> l.startsWith("sub-03: FAILED: ")).findFirst()
        .orElseThrow();
    assertTrue(big.contains("expected a JSON sidecar of at most 1024 kB, found 2.0 MB"), big);
    assertEquals(List.of("secret"), names(outside), "nothing written beside the secret");
    try (Stream<Path> s = Files.walk(outside)) {
      assertEquals(3, s.filter(Files::isRegularFile).count(), "the outside folder unchanged");
    }
    assertEquals(List.of("bids", "out", "outside", "sim"), names(tmp), "nothing beside out");
  }

  @Test
  void sidecarStringsAreTextInTheReportNeverMarkupOrScript() throws Exception {
    Path page = out.resolve("sub-01/figures/sub-01_desc-qc_report.html");
    String html = Files.readString(page);
    assertTrue(html.contains("&lt;script&gt;document.body") && html.contains("&lt;img src=x"
        + " onerror="), "the strings are shown, escaped");
    assertFalse(html.contains(SCRIPT) || html.contains("<img src=x"), "raw markup in the page");
    HeadlessChromium.assumeInstalled();
    HeadlessChromium.Output dom = HeadlessChromium.dumpDom(Files.createDirectories(
        tmp.resolve("chromium")), page);
    assertTrue(dom.stdout().contains("id=\"histograms\""), "the page rendered");
    assertFalse(dom.stdout().contains("data-pwned=\""), "a dataset string ran as script");
    assertTrue(dom.stdout().contains("setAttribute('data-pwned','1')"), "shown as text");
  }

  @Test
  void labelsOutsideTheBidsAlphabetAreOneClearLine() throws Exception {
    Path dots = BidsFixtures.raw(tmp.resolve("dots"), scan, List.of(
        "sub-01/dwi/sub-01_acq-..x_dwi"));
    CliRunner.Result r = CliRunner.run("bids", dots.toString(), tmp.resolve("o1").toString(),
        "participant", "--skip-bids-validation");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("expected a BIDS name of key-label pairs") && r.err().contains(
        "found the part 'acq-..x'"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    Path folder = BidsFixtures.raw(tmp.resolve("folder"), scan, List.of(
        "sub-a..b/dwi/sub-01_dwi"));
    CliRunner.Result f = CliRunner.run("bids", folder.toString(), tmp.resolve("o2").toString(),
        "participant", "--skip-bids-validation");
    assertEquals(1, f.exitCode());
    assertTrue(f.err().contains("expected a BIDS label of letters and digits, found 'a..b'"),
        f.err());
    Path moved = BidsFixtures.raw(tmp.resolve("moved"), scan, List.of(
        "sub-01/dwi/sub-02_dwi"));
    CliRunner.Result m = CliRunner.run("bids", moved.toString(), tmp.resolve("o3").toString(),
        "participant", "--skip-bids-validation");
    assertEquals(1, m.exitCode());
    assertTrue(m.err().contains("expected a name with sub-01 as its folders, found sub-02"),
        m.err());
    CliRunner.Result label = CliRunner.run("bids", moved.toString(), tmp.resolve("o4")
        .toString(), "participant", "--participant_label", "../../etc");
    assertEquals(1, label.exitCode());
    assertTrue(label.err().contains("expected letters and digits"), label.err());
    for (String o : List.of("o1", "o2", "o3", "o4")) {
      assertFalse(Files.exists(tmp.resolve(o).resolve("sub-01")), o);
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
