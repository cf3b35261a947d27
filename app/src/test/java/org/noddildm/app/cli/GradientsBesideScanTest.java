package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;

/** fit and predict find X.bval and X.bvec beside X.nii.gz, as FSL and BIDS users expect. */
class GradientsBesideScanTest {
  @Test
  void fitAndPredictReadTheTableBesideTheScan(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("d");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--subjects", "1",
        "--seed", "9003", "--size", "24").exitCode());
    Path dwi = data.resolve("sub-0001/dwi_lowres.nii.gz");
    CliRunner.Result fit = CliRunner.run("fit", "--dwi", dwi.toString(), "--out",
        tmp.resolve("f").toString(), "--no-progress");
    assertEquals(0, fit.exitCode(), fit.err());
    assertTrue(Files.exists(tmp.resolve("f_ndi.nii.gz")));
    CliRunner.Result pred = CliRunner.run("predict", "--dwi", dwi.toString(), "--out",
        tmp.resolve("p").toString(), "--method", "classic");
    assertEquals(0, pred.exitCode(), pred.err());
    assertTrue(Files.readString(tmp.resolve("p_prediction.json")).contains("dwi_lowres.bvec"));
    Files.delete(data.resolve("sub-0001/dwi_lowres.bvec"));
    CliRunner.Result missing = CliRunner.run("fit", "--dwi", dwi.toString(), "--out",
        tmp.resolve("g").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("expected b-value and b-vector files, given or"
        + " dwi_lowres.bval and dwi_lowres.bvec beside it, found no dwi_lowres.bvec"),
        missing.err());
    assertTrue(!Files.exists(tmp.resolve("g_ndi.nii.gz")));
  }
}
