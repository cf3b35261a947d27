package org.noddildm.app.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.app.StrictJsonCheck;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.bundle.ShippedModel;

/**
 * The BIDS App on a small dataset: sub-01 with two sessions, sub-02 with two runs, sub-03 with a
 * b-vector file of the wrong size. Scans are 16^3 phantoms; the classic pipeline runs on all,
 * the refiner on one subject.
 */
class BidsCommandTest {
  @TempDir
  static Path tmp;
  static Path bids;
  static Path out;
  static CliRunner.Result first;

  @BeforeAll
  static void makeDatasetAndRunTheClassicPipeline() throws Exception {
    Path sim = tmp.resolve("sim");
    assertEquals(0, CliRunner.run("simulate", "--out", sim.toString(), "--subjects", "1",
        "--seed", "5", "--size", "32").exitCode());
    Path scan = sim.resolve("sub-0001/dwi_lowres");
    bids = tmp.resolve("bids");
    Files.createDirectories(bids);
    Files.writeString(bids.resolve("dataset_description.json"), "{\"Name\": \"test\","
        + " \"BIDSVersion\": \"1.8.0\", \"Authors\": [\"noddi-ldm tests\"]}\n");
    Files.writeString(bids.resolve("dwi.json"), "{\"EchoTime\": 0.08, \"RepetitionTime\": 3.2,"
        + " \"PhaseEncodingDirection\": \"j-\", \"TotalReadoutTime\": 0.05}\n");
    for (String run : List.of("sub-01/ses-a/dwi/sub-01_ses-a_dwi",
        "sub-01/ses-b/dwi/sub-01_ses-b_acq-short_dwi", "sub-02/dwi/sub-02_run-1_dwi",
        "sub-02/dwi/sub-02_run-2_dwi", "sub-03/dwi/sub-03_dwi")) {
      Path stem = bids.resolve(run);
      Files.createDirectories(stem.getParent());
      Files.copy(Path.of(scan + ".nii.gz"), Path.of(stem + ".nii.gz"));
      Files.copy(Path.of(scan + ".bval"), Path.of(stem + ".bval"));
      Files.copy(Path.of(scan + ".bvec"), Path.of(stem + ".bvec"));
    }
    Files.writeString(bids.resolve("sub-02/dwi/sub-02_run-2_dwi.json"), "{\"EchoTime\": 0.09}");
    Path bad = bids.resolve("sub-03/dwi/sub-03_dwi.bvec");
    List<String> rows = new ArrayList<>();
    for (String row : Files.readAllLines(bad)) {
      rows.add(row.substring(0, row.lastIndexOf(' ')).strip()); // one column short
    }
    Files.write(bad, rows);
    out = tmp.resolve("derivatives");
    first = CliRunner.run("bids", bids.toString(), out.toString(), "participant", "--method",
        "classic", "--n-cpus", "2", "--skip-bids-validation"); // sub-03 is broken on purpose
  }

  @Test
  void aBrokenSubjectIsListedAndTheOthersAreComplete() throws Exception {
    assertEquals(1, first.exitCode(), first.out() + first.err());
    assertTrue(first.out().contains("sub-03: FAILED: ") && first.out().contains(
        "sub-03_dwi.bvec: expected 3 rows of"), first.out());
    List<String> failures = Files.readAllLines(out.resolve("failures.tsv"));
    assertEquals("participant_id\terror\ttime", failures.get(0));
    assertEquals(2, failures.size(), failures.toString());
    assertTrue(failures.get(1).startsWith("sub-03\t"));
    assertFalse(Files.exists(out.resolve("sub-03")), "no half subject");
    assertTrue(Files.readString(out.resolve("logs/sub-03.log")).contains("FAILED"));
    try (Stream<Path> s = Files.list(out.resolve(ParticipantRunner.WORK))) {
      assertEquals(0, s.count(), "no temporary folder left");
    }
    for (String stem : List.of("sub-01/ses-a/dwi/sub-01_ses-a",
        "sub-01/ses-b/dwi/sub-01_ses-b_acq-short", "sub-02/dwi/sub-02_run-1",
        "sub-02/dwi/sub-02_run-2")) {
      for (String p : List.of("icvf", "od", "isovf")) {
        assertTrue(Files.exists(out.resolve(stem + "_model-noddi_param-" + p
            + "_desc-classic_dwimap.nii.gz")), stem + " " + p);
        assertTrue(Files.exists(out.resolve(stem + "_res-native_model-noddi_param-" + p
            + "_desc-classic_dwimap.json")), stem + " " + p);
      }
      assertTrue(Files.exists(out.resolve(stem
          + "_res-native_model-noddi_param-direction_desc-classic_dwimap.nii.gz")));
      assertTrue(Files.exists(out.resolve(stem + "_desc-brain_mask.nii.gz")));
      assertTrue(Files.exists(out.resolve(stem + "_res-native_desc-brain_mask.json")));
    }
    // the fit's error in the brain is about the noise (SNR 30 at b0: 1/30 of S0)
    Volume rmse = NiftiReader.read(out.resolve("sub-02/dwi/"
        + "sub-02_run-1_res-native_model-noddi_param-rmse_desc-classic_dwimap.nii.gz")).volume();
    Volume brain = NiftiReader.read(out.resolve("sub-02/dwi/"
        + "sub-02_run-1_res-native_desc-brain_mask.nii.gz")).volume();
    double sum = 0;
    int n = 0;
    for (int i = 0; i < brain.grid().size(); i++) {
      if (brain.at(i, 0) != 0) {
        sum += rmse.at(i, 0);
        n++;
      }
    }
    assertTrue(sum / n > 0.01 && sum / n < 0.1, "mean RMSE in the brain " + sum / n);
  }

  @Test
  void everyRunHasItsQcReportInTheSubjectsFiguresFolder() throws Exception {
    for (String stem : List.of("sub-01/figures/sub-01_ses-a",
        "sub-01/figures/sub-01_ses-b_acq-short", "sub-02/figures/sub-02_run-1",
        "sub-02/figures/sub-02_run-2")) {
      Path page = out.resolve(stem + "_desc-qc_report.html");
      assertTrue(Files.isRegularFile(page), page.toString());
      String html = Files.readString(page);
      assertTrue(html.contains("id=\"histograms\"") && html.contains("b0 temporal SNR"), stem);
      assertTrue(html.contains("<img class=\"scan\"") && html.contains("<svg class=\"sphere\""),
          "the input's pictures and gradient directions in " + stem);
      assertFalse(html.contains(tmp.toString()), "a machine path in " + stem);
    }
    String record = Files.readString(out.resolve("sub-02").resolve(ParticipantRunner.RECORD));
    assertTrue(record.contains("\"sub-02/figures/sub-02_run-1_desc-qc_report.html\""), record);
  }

  @Test
  void eachParticipantHasAnIndexPageLinkingEveryRunReport() throws Exception {
    Map<String, List<String>> runs = Map.of("01", List.of("sub-01_ses-a",
        "sub-01_ses-b_acq-short"), "02", List.of("sub-02_run-1", "sub-02_run-2"));
    for (Map.Entry<String, List<String>> e : runs.entrySet()) {
      String html = Files.readString(out.resolve(SubjectIndex.fileName(e.getKey())));
      List<String> links = new ArrayList<>();
      Matcher m = Pattern.compile("href=\"([^\"#]+)\"").matcher(html);
      while (m.find()) {
        links.add(m.group(1));
        assertTrue(Files.isRegularFile(out.resolve(m.group(1))), "a broken link " + m.group(1));
      }
      assertEquals(e.getValue().stream().map(p -> "sub-" + e.getKey() + "/figures/" + p
          + "_desc-qc_report.html").toList(), links);
      assertFalse(html.contains(tmp.toString()) || html.contains("id=\"failure\""), html);
      assertTrue(html.contains("<th>b0 SNR</th>") && html.contains("<td>classic, native</td>"),
          html);
    }
    assertTrue(Files.readString(out.resolve("sub-01.html")).contains("<th>ses</th><th>acq"
        + "</th>"), "the session and acq entities as columns");
    String failed = Files.readString(out.resolve("sub-03.html"));
    assertTrue(failed.contains("failed:</b> sub-03_dwi.bvec: expected 3 rows of"), failed);
    assertTrue(failed.contains("No outputs were kept") && !failed.contains("href=\"sub-03/"));
    assertFalse(failed.contains(tmp.toString()), "a machine path in the failure");
  }

  @Test
  void everySidecarIsStrictJsonWithSourcesVersionAndSettings() throws Exception {
    List<Path> jsons;
    try (Stream<Path> s = Files.walk(out)) {
      jsons = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    // 4 runs x (3 maps + mask, upsampled; 3 maps + direction + rmse + nrmse + mask, native)
    assertEquals(44, jsons.stream().filter(p -> p.toString().endsWith("_dwimap.json")
        || p.toString().endsWith("_mask.json")).count(), jsons.toString());
    for (Path j : jsons) {
      StrictJsonCheck.parse(j);
    }
    JsonObject d = StrictJsonCheck.parse(out.resolve("dataset_description.json"))
        .getAsJsonObject();
    assertEquals("derivative", d.get("DatasetType").getAsString());
    assertTrue(d.getAsJsonArray("GeneratedBy").get(0).getAsJsonObject().get("Commit")
        .getAsString().matches("[0-9a-f]{40}|unknown"));
    assertEquals("../bids", d.getAsJsonObject("DatasetLinks").get("raw").getAsString(),
        "BIDS_DIR relative to OUTPUT_DIR, no machine path");
    JsonObject s = StrictJsonCheck.parse(out.resolve("sub-02/dwi/"
        + "sub-02_run-2_model-noddi_param-icvf_desc-classic_dwimap.json")).getAsJsonObject();
    for (String k : List.of("Description", "Model", "Sources", "GeneratedBy", "Settings")) {
      assertTrue(s.has(k), k);
    }
    assertEquals(0.0017, s.getAsJsonObject("Model").getAsJsonObject("Parameters")
        .get("ParallelDiffusivity").getAsDouble(), 1e-12);
    assertTrue(s.getAsJsonObject("Model").get("URL").getAsString().startsWith("https://"));
    assertEquals("bids:raw:sub-02/dwi/sub-02_run-2_dwi.nii.gz", s.getAsJsonArray("Sources")
        .get(0).getAsString());
    assertTrue(s.getAsJsonArray("Sources").toString().contains("bids:raw:dwi.json"));
    assertEquals(0.09, s.getAsJsonObject("InputMetadata").get("EchoTime").getAsDouble(), 0);
    assertEquals("j-", s.getAsJsonObject("InputMetadata").get("PhaseEncodingDirection")
        .getAsString());
    assertEquals("classic", s.getAsJsonObject("Settings").get("method").getAsString());
  }

  @Test
  void aRerunSkipsFinishedSubjectsAndForceRedoesThem() throws Exception {
    Path record = out.resolve("sub-02").resolve(ParticipantRunner.RECORD);
    String before = Files.readString(record);
    Path index = out.resolve("sub-02.html");
    String page = Files.readString(index);
    Files.delete(index); // as if killed between the subject's rename and its index
    CliRunner.Result again = CliRunner.run("bids", bids.toString(), out.toString(),
        "participant", "--method", "classic", "--participant-label", "02", "sub-01",
        "--skip-bids-validation");
    assertEquals(0, again.exitCode(), again.out() + again.err());
    assertTrue(again.out().contains("2 skipped"), again.out());
    assertEquals(before, Files.readString(record));
    assertEquals(page, Files.readString(index), "a skip writes the index again, the same");
    CliRunner.Result forced = CliRunner.run("bids", bids.toString(), out.toString(),
        "participant", "--method", "classic", "--participant-label", "02", "--force",
        "--skip-bids-validation");
    assertEquals(0, forced.exitCode(), forced.out() + forced.err());
    assertTrue(forced.out().contains("sub-02: done"), forced.out());
    assertFalse(before.equals(Files.readString(record)));
    assertEquals(page, Files.readString(index), "no time in the index page");
    CliRunner.Result group = CliRunner.run("bids", bids.toString(), out.toString(), "group");
    assertEquals(1, group.exitCode(), "sub-03 failed: " + group.out() + group.err());
    List<String> rows = Files.readAllLines(out.resolve(GroupTable.TSV));
    assertEquals(1 + 4 + 1, rows.size(), "header, 4 runs, 1 failure");
    List<String> header = List.of(rows.get(0).split("\t"));
    JsonObject dictionary = StrictJsonCheck.parse(out.resolve(GroupTable.JSON))
        .getAsJsonObject();
    assertEquals(header, new ArrayList<>(dictionary.keySet()));
    assertTrue(header.containsAll(List.of("classic_icvf_wm_mean", "classic_od_gm_median",
        "native_isovf_csf_sd", "b0_snr")), header.toString());
    String run2 = rows.stream().filter(r -> r.contains("sub-02_run-2")).findFirst().orElseThrow();
    String[] cells = run2.split("\t");
    double meanNdi = Double.parseDouble(cells[header.indexOf("classic_icvf_brain_mean")]);
    assertTrue(meanNdi > 0.1 && meanNdi < 0.9, "brain NDI " + meanNdi);
    assertEquals("2", cells[header.indexOf("run")]);
    assertTrue(rows.get(rows.size() - 1).startsWith("sub-03\tn/a"), rows.get(rows.size() - 1));
  }

  @Test
  void theRefinerWritesItsMapsWithTheModelIdAndNoMachinePath() throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    Path deep = tmp.resolve("deep");
    CliRunner.Result r = CliRunner.run("bids", bids.toString(), deep.toString(), "participant",
        "--participant-label", "01", "--session-label", "a", "--method", "refine",
        "--skip-bids-validation");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    Path dir = deep.resolve("sub-01/ses-a/dwi");
    JsonObject s = StrictJsonCheck.parse(dir.resolve(
        "sub-01_ses-a_model-noddi_param-od_dwimap.json")).getAsJsonObject();
    assertTrue(s.getAsJsonObject("TrainedModel").get("Id").getAsString()
        .matches("sha256:[0-9a-f]{64}"));
    String text = Files.readString(dir.resolve(
        "sub-01_ses-a_model-noddi_param-od_dwimap.json"));
    assertFalse(text.contains("\"/") || text.contains(tmp.toString()), text);
    assertFalse(Files.exists(deep.resolve("sub-01/ses-b")), "--session-label a only");
  }

  @Test
  void anOutputInsideTheInputOrAnUnknownSubjectIsOneClearLine() {
    CliRunner.Result inside = CliRunner.run("bids", bids.toString(), bids.resolve("out")
        .toString(), "participant");
    assertEquals(1, inside.exitCode());
    assertTrue(inside.err().contains("expected a folder outside BIDS_DIR"), inside.err());
    assertEquals(1, inside.err().strip().lines().count(), inside.err());
    CliRunner.Result unknown = CliRunner.run("bids", bids.toString(), tmp.resolve("x")
        .toString(), "participant", "--participant-label", "sub-09");
    assertEquals(1, unknown.exitCode());
    assertTrue(unknown.err().contains("--participant-label 09: expected one of the dataset's"
        + " subjects [01, 02, 03]"), unknown.err());
  }

  @Test
  void theInputDatasetIsValidBids() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python) || "true".equals(System.getenv("CI")),
        "python3 is not installed");
    String script = "import os, sys\n"
        + "try:\n  from bids_validator import BIDSValidator\n"
        + "except ImportError:\n  sys.exit(3)\n"
        + "v = BIDSValidator(); bad = []\n"
        + "for d, _, fs in os.walk(sys.argv[1]):\n"
        + "  for f in fs:\n"
        + "    p = '/' + os.path.relpath(os.path.join(d, f), sys.argv[1])\n"
        + "    if not v.is_bids(p): bad.append(p)\n"
        + "print(' '.join(bad)); sys.exit(1 if bad else 0)\n";
    Process p = new ProcessBuilder(python.toString(), "-c", script, bids.toString())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String output = new String(p.getInputStream().readAllBytes());
    if (p.exitValue() == 3) {
      assertFalse("true".equals(System.getenv("CI")), "python3-bids-validator is missing;"
          + " .ci/run should have installed it");
      assumeTrue(false, "python3-bids-validator is not installed");
    }
    assertEquals(0, p.exitValue(), "not BIDS: " + output);
  }
}
