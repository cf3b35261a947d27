package org.noddildm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class InfoCommandTest {
  @TempDir Path dir;

  private Path writeDwi() throws Exception {
    Grid g = new Grid(4, 5, 6, Affine.of(new double[][] {{-1.5, 0, 0, 10}, {0, -1.5, 0, 20},
        {0, 0, 2, -5}}));
    float[] d = new float[g.size() * 4];
    for (int i = 0; i < d.length; i++) {
      d[i] = i % 97;
    }
    Path f = dir.resolve("dwi.nii.gz");
    NiftiWriter.write(f, new Volume(g, 4, d));
    GradientTable t = GradientTable.of(new double[] {0, 1000, 1000, 2000},
        new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    GradientIO.writeFsl(t, dir.resolve("dwi.bval"), dir.resolve("dwi.bvec"));
    return f;
  }

  @Test
  void printsDimensionsOrientationRangeAndShells() throws Exception {
    Path f = writeDwi();
    CliRunner.Result r = CliRunner.run("info", f.toString(), "--bval",
        dir.resolve("dwi.bval").toString(), "--bvec", dir.resolve("dwi.bvec").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("4 x 5 x 6 x 4"), r.out());
    assertTrue(r.out().contains("float32"), r.out());
    assertTrue(r.out().contains("1.500 x 1.500 x 2.000 mm"), r.out());
    assertTrue(r.out().contains("LPS"), r.out());
    assertTrue(r.out().contains("min 0.00000, max 96.0000"), r.out());
    assertTrue(r.out().contains("b0 x 1, b=1000 x 2, b=2000 x 1"), r.out());
  }

  @Test
  void mismatchedGradientCountIsOneLineAndExitOne() throws Exception {
    Path f = writeDwi();
    Files.writeString(dir.resolve("short.bval"), "0 1000 2000\n");
    Files.writeString(dir.resolve("short.bvec"), "0 1 0\n0 0 1\n0 0 0\n");
    CliRunner.Result r = CliRunner.run("info", f.toString(), "--bval",
        dir.resolve("short.bval").toString(), "--bvec", dir.resolve("short.bvec").toString());
    assertEquals(1, r.exitCode());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("noddi: error: gradient table has 3 entries, but the image has"
        + " 4 volumes"), r.err());
  }

  @Test
  void corruptFileGivesOneLineWithoutStackTraceUnlessVerbose() throws Exception {
    Path f = writeDwi();
    byte[] b = Files.readAllBytes(f);
    Path bad = dir.resolve("bad.nii.gz");
    Files.write(bad, Arrays.copyOf(b, b.length / 2));
    CliRunner.Result r = CliRunner.run("info", bad.toString());
    assertEquals(1, r.exitCode());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("truncated"), r.err());
    CliRunner.Result verbose = CliRunner.run("info", bad.toString(), "--verbose");
    assertEquals(1, verbose.exitCode());
    assertTrue(verbose.err().contains("at org.noddildm"), "stack trace with --verbose");
  }

  @Test
  void missingFileAndBadUsage() {
    CliRunner.Result r = CliRunner.run("info", dir.resolve("none.nii").toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("no such file"), r.err());
    CliRunner.Result usage = CliRunner.run("info");
    assertEquals(2, usage.exitCode());
    assertEquals(1, usage.err().strip().lines().count(), usage.err());
    assertTrue(usage.err().startsWith("noddi info: ") && usage.err().contains(
        "(see 'noddi info --help')"), usage.err());
  }

  @Test
  void bareCommandsAreUsageErrorsInOneLine() {
    for (String[] args : new String[][] {{}, {"dev"}, {"dev", "bench"}, {"no-such-command"}}) {
      CliRunner.Result r = CliRunner.run(args);
      assertEquals(2, r.exitCode(), String.join(" ", args));
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("--help')"), r.err());
    }
    assertTrue(CliRunner.run().err().contains("expected a command (info, simulate"),
        CliRunner.run().err());
  }

  @Test
  void versionAndHelpWork() {
    CliRunner.Result v = CliRunner.run("--version");
    assertEquals(0, v.exitCode());
    assertTrue(v.out().startsWith("noddi-ldm "), v.out());
    assertFalse(v.out().contains("${"), "version filtered by the build: " + v.out());
    CliRunner.Result h = CliRunner.run("--help");
    assertEquals(0, h.exitCode());
    assertTrue(h.out().contains("info"), h.out());
  }

  @Test
  void aHeaderThatIsReadAnywaySaysSoOnceOnStandardError() throws Exception {
    Path f = dir.resolve("nan-inter.nii");
    NiftiWriter.write(f, Volume.of(Grid.of(2, 2, 2, 1.0), new float[] {1, 2, 3, 4, 5, 6, 7, 8}));
    byte[] b = Files.readAllBytes(f);
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bb.putFloat(112, 2f).putFloat(116, Float.NaN); // scl_slope 2, scl_inter NaN
    Files.write(f, b);
    CliRunner.Result r = CliRunner.run("info", f.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("noddi: warning: nan-inter.nii: scl_inter is NaN with scl_slope 2.0; read as 0",
        r.err().strip());
  }
}
