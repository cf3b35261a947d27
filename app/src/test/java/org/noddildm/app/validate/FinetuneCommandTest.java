package org.noddildm.app.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.provenance.Sha256;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.pipeline.FineTune;
import org.noddildm.model.predict.Predictor;

@Tag("slow")
class FinetuneCommandTest {
  @TempDir
  static Path tmp;
  static CliRunner.Result run;

  static Path scan(int k) {
    return tmp.resolve(String.format("hr/sub-%04d/dwi_lowres.nii.gz", k));
  }

  @BeforeAll
  static void fineTuneOnTwoScansHoldingOutAThird() {
    CliRunner.Result sim = CliRunner.run("simulate", "--out", tmp.resolve("hr").toString(),
        "--factor", "1", "--protocol", "0x4,1000x32,2000x32", "--size", "24", "--voxel", "2.5",
        "--snr", "40", "--subjects", "3", "--seed", "8005", "--no-progress");
    assertEquals(0, sim.exitCode(), sim.err());
    run = CliRunner.run("finetune", "--dwi", scan(1).toString(), "--dwi", scan(2).toString(),
        "--dwi", scan(3).toString(), "--out", tmp.resolve("tuned").toString(), "--steps", "4",
        "--copies", "2", "--checkpoint-every", "2", "--no-progress");
  }

  @Test
  void writesAModelFolderThatPredictsWithTheNewRefiner() throws Exception {
    assertEquals(0, run.exitCode(), run.err() + run.out());
    assertTrue(run.out().contains("1 held out: [sub-0003_dwi_lowres]"), run.out());
    assertTrue(run.out().contains("validation scores the held-out scans against the fit of"
        + " their full scan"), run.out());
    assertTrue(run.out().contains("validation at step 4: PSNR in the brain"), run.out());
    Path model = tmp.resolve("tuned");
    try (Predictor p = Predictor.open(model, Device.cpu())) {
      assertTrue(p.supports(PredictOptions.Method.REFINE));
      assertTrue(p.supports(PredictOptions.Method.LDM));
    }
    assertEquals(Set.of(Sha256.hex(scan(1)), Sha256.hex(scan(2))),
        FineTune.trainingScans(model));
    // the paired data it made: 2 short scans of each training scan, 1 of the held-out one
    assertTrue(Files.isRegularFile(tmp.resolve("tuned.work/train-data/sub-0004/dwi_lowres.nii.gz")));
    assertTrue(Files.isRegularFile(tmp.resolve("tuned.work/heldout-data/sub-0001/noddi.nii.gz")));
  }

  @Test
  void validateRefusesTheTrainingScansAndScoresTheHeldOutOne() {
    assertEquals(0, run.exitCode(), run.err() + run.out());
    String model = tmp.resolve("tuned").toString();
    CliRunner.Result own = CliRunner.run("validate", "--model", model, "--dwi",
        scan(2).toString(), "--out", tmp.resolve("v-own").toString(), "--methods", "refine",
        "--no-progress");
    assertEquals(1, own.exitCode());
    assertTrue(own.err().contains("expected a scan the model was not fine-tuned on, found one"
        + " of its training scans"), own.err());
    assertTrue(!Files.exists(tmp.resolve("v-own/validate.json")));
    CliRunner.Result held = CliRunner.run("validate", "--model", model, "--dwi",
        scan(3).toString(), "--out", tmp.resolve("v-held").toString(), "--methods", "refine",
        "--directions", "20", "--no-progress");
    assertEquals(0, held.exitCode(), held.err());
  }

  @Test
  void needsAScanToHoldOut() {
    CliRunner.Result one = CliRunner.run("finetune", "--dwi", scan(1).toString(), "--out",
        tmp.resolve("x").toString(), "--no-progress");
    assertEquals(1, one.exitCode());
    assertTrue(one.err().contains("expected at least 2 (one to train on, one held out), found 1"),
        one.err());
  }
}
