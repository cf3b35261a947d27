package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** NaN and Inf in the inputs: refused where they make the result meaningless, else named. */
class NonFiniteInputsTest {
  @TempDir Path dir;

  private static final double[][] DIRS = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.8, 0},
      {0, 0.6, 0.8}, {0.8, 0, 0.6}};

  /**
   * A 6^3 scan: a b0, then b = 1000 and 2000 along 6 directions each; the first {@code nan}
   * voxels of the b0 NaN or Inf.
   */
  private Path scan(String name, int nan) throws Exception {
    Volume v = Volume.zeros(Grid.of(6, 6, 6, 2.0), 13);
    int n = v.grid().size();
    for (int i = 0; i < v.data().length; i++) {
      int x = i % 6;
      int y = i / 6 % 6;
      int z = i / 36 % 6;
      boolean brain = x > 0 && x < 5 && y > 0 && y < 5 && z > 0 && z < 5;
      v.data()[i] = (i < n ? 1000 : 400 + i % 13) * (brain ? 1f : 0.05f);
    }
    for (int i = 0; i < nan; i++) {
      v.data()[i] = i % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY;
    }
    Path f = dir.resolve(name + ".nii.gz");
    NiftiWriter.write(f, v);
    double[] bvals = new double[13];
    double[][] bvecs = new double[13][];
    bvecs[0] = new double[3];
    for (int k = 0; k < 12; k++) {
      bvals[k + 1] = k < 6 ? 1000 : 2000;
      bvecs[k + 1] = DIRS[k % 6];
    }
    GradientIO.writeFsl(GradientTable.of(bvals, bvecs), dir.resolve(name + ".bval"),
        dir.resolve(name + ".bvec"));
    return f;
  }

  @Test
  void fittingAScanWithNoFiniteVoxelFailsAndWritesNothing() throws Exception {
    Path dwi = scan("nan", 216);
    Path mask = dir.resolve("mask.nii.gz");
    float[] ones = new float[216];
    java.util.Arrays.fill(ones, 1f);
    NiftiWriter.write(mask, Volume.of(Grid.of(6, 6, 6, 2.0), ones));
    CliRunner.Result r = CliRunner.run("fit", "--dwi", dwi.toString(), "--mask",
        mask.toString(), "--out", dir.resolve("out/fit").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("found none") && r.err().contains("NaN/Inf"), r.err());
    assertFalse(Files.exists(dir.resolve("out/fit_ndi.nii.gz")));
  }

  @Test
  void fittingAnAllNanScanWithTheAutomaticMaskFailsAndWritesNothing() throws Exception {
    Path dwi = scan("allnan", 216 * 13);
    CliRunner.Result r = CliRunner.run("fit", "--dwi", dwi.toString(), "--out",
        dir.resolve("auto/fit").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("found an empty automatic mask"), r.err());
    assertFalse(Files.exists(dir.resolve("auto")) && Files.list(dir.resolve("auto")).findAny()
        .isPresent());
  }

  @Test
  void evaluateRefusesMapsWithNanOrInf() throws Exception {
    Path pred = scan("pred", 2);
    Path ref = scan("ref", 0);
    CliRunner.Result r = CliRunner.run("evaluate", "--pred", pred.toString(), "--ref",
        ref.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("pred.nii.gz") && r.err().contains("found 2 NaN/Inf"), r.err());
  }

  @Test
  void degradeRefusesNanInsteadOfBlamingTheB0() throws Exception {
    Path dwi = scan("hi", 3);
    CliRunner.Result r = CliRunner.run("degrade", "--dwi", dwi.toString(), "--bval",
        dir.resolve("hi.bval").toString(), "--bvec", dir.resolve("hi.bvec").toString(),
        "--out", dir.resolve("low").toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("volume 0") && r.err().contains("found 3 NaN/Inf"), r.err());
  }

  @Test
  void predictNamesTheNanVoxelsItTreatsAsBackground() throws Exception {
    Path dwi = scan("scan", 2);
    CliRunner.Result r = CliRunner.run("predict", "--dwi", dwi.toString(), "--method",
        "classic", "--no-mask", "--out", dir.resolve("p/x").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("warning: 2 NaN/Inf values in scan.nii.gz"), r.err());
  }

  @Test
  void trainingRefusesASubjectWithNanAndNamesItsFirstPosition() throws Exception {
    Path data = dir.resolve("data");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "16x16x16",
        "--subjects", "2", "--seed", "4").exitCode());
    Path maps = data.resolve("sub-0002/noddi.nii.gz");
    Volume v = org.noddildm.core.io.NiftiReader.read(maps).volume();
    java.util.Arrays.fill(v.data(), Float.NaN);
    NiftiWriter.write(maps, v);
    for (String cmd : new String[] {"train-vqgan", "train-refiner"}) {
      Path out = dir.resolve("model-" + cmd);
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(cmd, "--data",
          data.toString(), "--out", out.toString(), "--steps", "2"));
      if (cmd.equals("train-vqgan")) {
        args.addAll(java.util.List.of("--target", "noddi"));
      }
      CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
      assertEquals(1, r.exitCode(), cmd + ": " + r.err());
      assertTrue(r.err().strip().equals("noddi: error: " + maps + ": expected finite values in"
          + " training data, found " + v.data().length + " NaN/Inf of " + v.data().length
          + " (the first at voxel (0, 0, 0) of volume 0)"), cmd + ": " + r.err());
      assertFalse(Files.exists(out), cmd + " wrote " + out);
    }
  }
}
