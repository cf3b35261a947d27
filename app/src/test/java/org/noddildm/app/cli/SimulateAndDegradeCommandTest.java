package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.physics.degrade.DwiSimulator;
import org.noddildm.core.physics.phantom.BrainPhantom;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.PhantomConfig;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import picocli.CommandLine;

class SimulateAndDegradeCommandTest {
  private record Run(int code, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.newCommandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    int code = cl.execute(args);
    return new Run(code, err.toString());
  }

  private static String[] simulateArgs(Path out) {
    return simulateArgs(out, "16");
  }

  private static String[] simulateArgs(Path out, String size, String... extra) {
    String[] base = {"simulate", "--out", out.toString(), "--subjects", "2", "--seed", "4",
        "--size", size, "--voxel", "4", "--protocol", "0x1,1000x6,2000x6"};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void simulateWritesAReadableReproducibleDataset(@TempDir Path tmp) throws Exception {
    Run a = run(simulateArgs(tmp.resolve("a")));
    assertEquals(0, a.code(), a.err());
    assertTrue(a.err().contains("wrote "), a.err());
    assertEquals(0, run(simulateArgs(tmp.resolve("b"))).code());
    PairedDataset ds = PairedDataset.open(tmp.resolve("a"));
    assertEquals(2, ds.subjects().size());
    assertEquals(13, ds.lowResDwi("sub-0002").nt());
    assertArrayEquals(Files.readAllBytes(tmp.resolve("a/dataset.json")),
        Files.readAllBytes(tmp.resolve("b/dataset.json")));
    assertArrayEquals(Files.readAllBytes(tmp.resolve("a/sub-0002/dwi_lowres.nii.gz")),
        Files.readAllBytes(tmp.resolve("b/sub-0002/dwi_lowres.nii.gz")));
  }

  @Test
  void simulateRefusesToOverwriteAndBadSizes(@TempDir Path tmp) {
    assertEquals(0, run(simulateArgs(tmp)).code());
    Run again = run(simulateArgs(tmp));
    assertEquals(1, again.code());
    assertTrue(again.err().contains("--force"), again.err());
    Run bad = run(simulateArgs(tmp.resolve("x"), "15"));
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("divisible by the factor 2"), bad.err());
    assertFalse(Files.exists(tmp.resolve("x/dataset.json")));
  }

  @Test
  void degradeMakesAnOverlayingShortScanFromARealDwi(@TempDir Path tmp) throws Exception {
    Phantom p = BrainPhantom.generate(PhantomConfig.cube(17, 4, 9));
    GradientTable full = Protocol.parse("0x2,1000x12,2000x12").table();
    Volume hi = DwiSimulator.simulate(p, full, Diffusivities.IN_VIVO);
    NiftiWriter.write(tmp.resolve("dwi.nii.gz"), hi);
    GradientIO.writeFsl(full, tmp.resolve("dwi.bval"), tmp.resolve("dwi.bvec"));
    Run r = run("degrade", "--dwi", tmp.resolve("dwi.nii.gz").toString(), "--bval",
        tmp.resolve("dwi.bval").toString(), "--bvec", tmp.resolve("dwi.bvec").toString(),
        "--directions", "6", "--shells", "1000", "--b0", "1", "--snr", "20",
        "--out", tmp.resolve("low").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("cropped"), r.err());
    Volume low = NiftiReader.read(tmp.resolve("low/dwi_lowres.nii.gz")).volume();
    assertEquals(7, low.nt());
    assertEquals("8 x 8 x 8", low.grid().shape());
    GradientTable t = GradientIO.readFsl(tmp.resolve("low/dwi_lowres.bval"),
        tmp.resolve("low/dwi_lowres.bvec"));
    assertEquals("b0 x 1, b=1000 x 6", t.summary());
    Volume cropped = VolumeOps.cropOrPad(hi, 0, 0, 0, 16, 16, 16, 0);
    assertTrue(low.grid().sameAs(VolumeOps.downsampledGrid(cropped.grid(), 2)));
    assertTrue(Files.exists(tmp.resolve("low/mask_lowres.nii.gz")));
    assertTrue(Files.readString(tmp.resolve("low/degrade.json")).contains("\"kept_volumes\""));
  }

  @Test
  void simulateUsesAUserGradientTable(@TempDir Path tmp) throws Exception {
    GradientTable user = GradientTable.of(new double[] {0, 700, 700, 700, 2500},
        new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.8, 0}});
    GradientIO.writeFsl(user, tmp.resolve("u.bval"), tmp.resolve("u.bvec"));
    Run r = run("simulate", "--out", tmp.resolve("d").toString(), "--size", "16", "--voxel",
        "4", "--bval", tmp.resolve("u.bval").toString(), "--bvec",
        tmp.resolve("u.bvec").toString());
    assertEquals(0, r.code(), r.err());
    PairedDataset ds = PairedDataset.open(tmp.resolve("d"));
    assertEquals(user.summary(), ds.table("sub-0001").summary());
    assertEquals(5, ds.lowResDwi("sub-0001").nt());
  }

  @Test
  void degradeRejectsMismatchedGradientTable(@TempDir Path tmp) throws Exception {
    Volume v = Volume.zeros(org.noddildm.core.volume.Grid.of(4, 4, 4, 2), 3);
    NiftiWriter.write(tmp.resolve("dwi.nii"), v);
    GradientIO.writeFsl(Protocol.parse("0x1,1000x3").table(), tmp.resolve("b.bval"),
        tmp.resolve("b.bvec"));
    Run r = run("degrade", "--dwi", tmp.resolve("dwi.nii").toString(), "--bval",
        tmp.resolve("b.bval").toString(), "--bvec", tmp.resolve("b.bvec").toString(),
        "--out", tmp.resolve("o").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("4 entries, but the image has 3 volumes"), r.err());
    assertFalse(Files.exists(tmp.resolve("o/dwi_lowres.nii.gz")));
  }
}
