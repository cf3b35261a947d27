package org.noddildm.app.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.model.bundle.ShippedModel;

/**
 * The derivatives pass the BIDS validator, and every map and mask is named with BIDS entities
 * in QSIRecon's order. The validator (1.x) has no rules for derivatives' names, so its run
 * ignores the maps, masks and QC pages that BIDS 1.10 does not name (QSIRecon's BEP016 names)
 * and checks everything else: dataset_description.json of a derivative, README, and that no
 * other file is there.
 */
class DerivativesValidateTest {
  /** QSIRecon's entity order: sub, ses, acq, rec, dir, run, space, res, model, param, desc. */
  private static final Pattern NAME = Pattern.compile("sub-[a-zA-Z0-9]+(_ses-[a-zA-Z0-9]+)?"
      + "(_acq-[a-zA-Z0-9]+)?(_rec-[a-zA-Z0-9]+)?(_dir-[a-zA-Z0-9]+)?(_run-[a-zA-Z0-9]+)?"
      + "(_space-[a-zA-Z0-9]+)?(_res-[a-zA-Z0-9]+)?(_model-noddi_param-[a-z]+)?"
      + "(_desc-[a-zA-Z0-9]+)?_(dwimap|mask)\\.(nii\\.gz|json)");
  @TempDir
  static Path tmp;
  static Path out;

  @BeforeAll
  static void runTheApp() throws Exception {
    Path bids = BidsFixtures.raw(tmp.resolve("bids"), BidsFixtures.scan(tmp), List.of(
        "sub-01/dwi/sub-01_dwi", "sub-02/ses-a/dwi/sub-02_ses-a_acq-short_dir-AP_run-1_dwi"));
    out = tmp.resolve("bids/derivatives/noddi");
    CliRunner.Result r = CliRunner.run("bids", bids.toString(), out.toString(), "participant",
        "--method", ShippedModel.available() ? "both" : "classic", "--no-progress");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals(0, CliRunner.run("bids", bids.toString(), out.toString(), "group")
        .exitCode());
  }

  @Test
  void everyMapAndMaskHasABidsNameInQsireconsEntityOrder() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(out)) {
      files = s.filter(p -> p.getParent().getFileName().toString().equals("dwi")).toList();
    }
    assertTrue(files.size() >= 20, files.toString());
    for (Path f : files) {
      assertTrue(NAME.matcher(f.getFileName().toString()).matches(), f.getFileName()
          .toString());
    }
  }

  @Test
  void theBidsValidatorPassesTheDerivatives() throws Exception {
    assumeTrue(BidsValidation.onPath("bids-validator") != null || "true".equals(
        System.getenv("CI")), "bids-validator (npm) is not installed");
    Path config = tmp.resolve("validator-config.json");
    Files.writeString(config, "{\"ignore\": [45, 67], \"ignoredFiles\": [\"**/*_dwimap.nii.gz\","
        + " \"**/*_dwimap.json\", \"**/*_mask.nii.gz\", \"**/*_mask.json\", \"/*.html\","
        + " \"/sub-*/figures/**\", \"/logs/**\", \"/failures.tsv\", \"/noddi_cohort.*\"]}\n");
    Process p = new ProcessBuilder("bids-validator", out.toString(), "--config",
        config.toString()).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), text.replaceAll("\u001b\\[[0-9;]*m", ""));
  }
}
