package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.FitSimulation;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignal;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine;

class FitCommandTest {
  private static final GradientTable PROTOCOL = Protocol.NODDI.table();
  private static final Grid GRID = new Grid(14, 12, 10, Affine.of(new double[][] {
      {-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2.5, -72}, {0, 0, 0, 1}}));
  private static final NoddiParams WM = new NoddiParams(0.7, 0.15, 0.05, new double[] {1, 0, 0});
  private static final NoddiParams GM = new NoddiParams(0.4, 0.5, 0.1, new double[] {0, 0, 1});

  /** A box of tissue (WM left, GM right) in an empty field of view. */
  private static boolean inside(int x, int y, int z) {
    return x >= 2 && x <= 11 && y >= 2 && y <= 9 && z >= 2 && z <= 7;
  }

  private static Path writeSubject(Path dir) throws Exception {
    double[] wm = NoddiSignal.signal(WM, PROTOCOL);
    double[] gm = NoddiSignal.signal(GM, PROTOCOL);
    Volume dwi = Volume.zeros(GRID, PROTOCOL.size());
    for (int z = 0; z < GRID.nz(); z++) {
      for (int y = 0; y < GRID.ny(); y++) {
        for (int x = 0; x < GRID.nx(); x++) {
          if (inside(x, y, z)) {
            double[] s = x < 7 ? wm : gm;
            for (int t = 0; t < s.length; t++) {
              dwi.set(x, y, z, t, (float) (1000 * s[t]));
            }
          }
        }
      }
    }
    NiftiWriter.write(dir.resolve("dwi.nii.gz"), dwi);
    GradientIO.writeFsl(PROTOCOL, dir.resolve("dwi.bval"), dir.resolve("dwi.bvec"));
    return dir;
  }

  private static int run(StringWriter err, String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void fitsASimulatedSubjectAndWritesMapsOnItsGridWithSidecarAndMask(@TempDir Path dir)
      throws Exception {
    writeSubject(dir);
    StringWriter err = new StringWriter();
    int code = run(err, "fit", "--dwi", dir.resolve("dwi.nii.gz").toString(), "--bval",
        dir.resolve("dwi.bval").toString(), "--bvec", dir.resolve("dwi.bvec").toString(),
        "--out", dir.resolve("sub").toString(), "--dictionary-directions", "300", "--no-progress");
    assertEquals(0, code, err.toString());
    NiftiImage ndi = NiftiReader.read(dir.resolve("sub_ndi.nii.gz"));
    NiftiImage odi = NiftiReader.read(dir.resolve("sub_odi.nii.gz"));
    NiftiImage fwf = NiftiReader.read(dir.resolve("sub_fwf.nii.gz"));
    NiftiImage mask = NiftiReader.read(dir.resolve("sub_mask.nii.gz"));
    NiftiImage direction = NiftiReader.read(dir.resolve("sub_direction.nii.gz"));
    assertTrue(ndi.volume().grid().sameAs(GRID), "maps keep the input grid and affine");
    assertEquals(3, direction.volume().nt());
    int masked = 0;
    for (int z = 0; z < GRID.nz(); z++) {
      for (int y = 0; y < GRID.ny(); y++) {
        for (int x = 0; x < GRID.nx(); x++) {
          // the median filter rounds the box's edges off; the rest must be found
          boolean in = mask.volume().get(x, y, z) == 1;
          assertTrue(!in || inside(x, y, z), "mask only on tissue, at " + x + "," + y + "," + z);
          masked += in ? 1 : 0;
          NoddiParams p = x < 7 ? WM : GM;
          assertEquals(in ? p.ndi() : 0, ndi.volume().get(x, y, z), 0.02);
          assertEquals(in ? p.odi() : 0, odi.volume().get(x, y, z), 0.02);
          assertEquals(in ? p.fwf() : 0, fwf.volume().get(x, y, z), 0.02);
        }
      }
    }
    assertTrue(masked >= 0.95 * 10 * 8 * 6, masked + " of 480 tissue voxels in the mask");
    assertEquals(1, Math.abs(direction.volume().get(3, 3, 3, 0)), 1e-3, "WM along x");
    // strict JSON: the default direction fit's b limit (infinity) is null, not Infinity
    JsonObject json = org.noddildm.app.StrictJsonCheck.parse(dir.resolve("sub_fit.json"))
        .getAsJsonObject();
    assertTrue(json.getAsJsonObject("settings").getAsJsonObject("noddi").get("directionMaxB")
        .isJsonNull());
    assertEquals("noddi", json.get("model").getAsString());
    assertEquals(masked, json.getAsJsonObject("counts").get("fitted").getAsInt());
    assertEquals(300, json.getAsJsonObject("settings").getAsJsonObject("noddi")
        .get("directions").getAsInt());
    assertTrue(err.toString().contains(masked + " of " + masked + " masked voxels fitted"),
        err.toString());
  }

  @Test
  void fitsDtiWithAGivenMaskIntoADirectory(@TempDir Path dir) throws Exception {
    writeSubject(dir);
    Volume m = Volume.zeros(GRID, 1);
    m.set(3, 3, 3, 0, 1);
    m.set(9, 4, 4, 0, 1);
    NiftiWriter.write(dir.resolve("mask.nii"), m);
    Files.createDirectories(dir.resolve("out"));
    StringWriter err = new StringWriter();
    int code = run(err, "fit", "--signal-model", "dti", "--fill", "nan", "--dwi",
        dir.resolve("dwi.nii.gz").toString(), "--bval", dir.resolve("dwi.bval").toString(),
        "--bvec", dir.resolve("dwi.bvec").toString(), "--mask", dir.resolve("mask.nii")
            .toString(), "--out", dir.resolve("out").toString() + "/", "--no-progress");
    assertEquals(0, code, err.toString());
    Volume fa = NiftiReader.read(dir.resolve("out/fa.nii.gz")).volume();
    assertTrue(fa.get(3, 3, 3) > fa.get(9, 4, 4), "WM more anisotropic than GM");
    assertTrue(Float.isNaN(fa.get(0, 0, 0)), "outside the mask is NaN with --fill nan");
    assertFalse(Files.exists(dir.resolve("out/mask.nii.gz")), "no automatic mask written");
    assertTrue(Files.exists(dir.resolve("out/fit.json")));
  }

  @Test
  void mismatchedGradientTableIsOneClearErrorAndWritesNothing(@TempDir Path dir)
      throws Exception {
    writeSubject(dir);
    GradientIO.writeFsl(PROTOCOL.select(new int[] {0, 10, 11, 12, 13, 14, 15}),
        dir.resolve("short.bval"), dir.resolve("short.bvec"));
    StringWriter err = new StringWriter();
    int code = run(err, "fit", "--dwi", dir.resolve("dwi.nii.gz").toString(), "--bval",
        dir.resolve("short.bval").toString(), "--bvec", dir.resolve("short.bvec").toString(),
        "--signal-model", "dti", "--out", dir.resolve("bad").toString(), "--no-progress");
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("noddi: error: gradient table has 7 entries, but the"
        + " image has 99 volumes"), err.toString());
    assertEquals(1, err.toString().lines().count(), "one line");
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("bad")));
    }
  }
}
