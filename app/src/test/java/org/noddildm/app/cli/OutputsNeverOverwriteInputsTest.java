package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/** Every command refuses an output that is one of its inputs, and leaves the input as it was. */
class OutputsNeverOverwriteInputsTest {
  @TempDir Path dir;

  private Path scan(String name) throws Exception {
    Volume v = Volume.zeros(Grid.of(6, 6, 6, 2.0), 4);
    for (int i = 0; i < v.data().length; i++) {
      v.data()[i] = 100 + i % 7;
    }
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    NiftiWriter.write(f, v);
    String base = f.getFileName().toString().replace(".nii.gz", "");
    GradientIO.writeFsl(GradientTable.of(new double[] {0, 1000, 1000, 2000},
        new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}),
        f.resolveSibling(base + ".bval"), f.resolveSibling(base + ".bvec"));
    return f;
  }

  private void refused(Path input, String... args) throws Exception {
    byte[] before = Files.readAllBytes(input);
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("an output never overwrites an input")
        && r.err().strip().lines().count() == 1, r.err());
    assertArrayEquals(before, Files.readAllBytes(input), "the input changed");
  }

  @Test
  void evaluateRefusesToWriteItsScoresOverThePrediction() throws Exception {
    Path pred = scan("pred.nii.gz");
    refused(pred, "evaluate", "--pred", pred.toString(), "--ref", pred.toString(), "--json",
        pred.toString());
  }

  @Test
  void resampleRefusesToReplaceItsInput() throws Exception {
    Path in = scan("in.nii.gz");
    refused(in, "resample", "--in", in.toString(), "--like", in.toString(), "--out",
        dir.resolve(".").resolve("in.nii.gz").toString());
  }

  @Test
  void fitAndPredictRefuseAPrefixThatNamesTheScan() throws Exception {
    Path dwi = scan("sub_ndi.nii.gz");
    String prefix = dir.resolve("sub").toString();
    refused(dwi, "fit", "--dwi", dwi.toString(), "--out", prefix);
    refused(dwi, "predict", "--dwi", dwi.toString(), "--method", "classic", "--out", prefix);
  }

  @Test
  void degradeRefusesAnOutputFolderThatHoldsItsInputs() throws Exception {
    Path dwi = scan("d/dwi_lowres.nii.gz");
    Path bval = dwi.resolveSibling("dwi_lowres.bval");
    refused(bval, "degrade", "--dwi", dwi.toString(), "--bval", bval.toString(), "--bvec",
        dwi.resolveSibling("dwi_lowres.bvec").toString(), "--out", dwi.getParent().toString());
  }
}
