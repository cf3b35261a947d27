package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VoxelOrder;
import org.noddildm.model.bundle.ShippedModel;

/**
 * MRtrix habits: a scan converted by {@code mrconvert} to {@code .mif} (its gradients in the
 * header's dw_scheme) or given with an MRtrix table ({@code --grad}) fits and predicts as the
 * NIfTI with FSL's bval/bvec does.
 */
class MrtrixInputTest {
  @TempDir
  static Path tmp;
  static Path nii;

  @BeforeAll
  static void convertWithMrtrix() throws Exception {
    boolean found = false;
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      found |= Files.isExecutable(Path.of(d, "mrconvert"));
    }
    assumeTrue(found || "true".equals(System.getenv("CI")), "mrconvert (mrtrix3) is missing");
    assertEquals(0, CliRunner.run("simulate", "--out", tmp.resolve("sim").toString(),
        "--subjects", "1", "--seed", "11", "--size", "24", "--no-progress").exitCode());
    Path s = tmp.resolve("sim/sub-0001");
    nii = s.resolve("dwi_lowres.nii.gz");
    exec("mrconvert", "-quiet", nii.toString(), "-fslgrad", s.resolve("dwi_lowres.bvec")
        .toString(), s.resolve("dwi_lowres.bval").toString(), tmp.resolve("dwi.mif")
        .toString(), "-export_grad_mrtrix", tmp.resolve("grad.b").toString());
    exec("mrconvert", "-quiet", tmp.resolve("dwi.mif").toString(), tmp.resolve("dwi.mif.gz")
        .toString());
  }

  /** A new folder as an output prefix ending in a separator (outputs named DIR/ndi.nii.gz). */
  private static String dir(String name) throws Exception {
    return Files.createDirectories(tmp.resolve(name)) + "/";
  }

  private static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + text);
  }

  /** The largest and mean absolute differences of two maps, compared in one voxel order. */
  private static double[] difference(Path a, Path b) throws Exception {
    Volume va = NiftiReader.read(a).volume();
    Volume vb = NiftiReader.read(b).volume();
    float[] x = VoxelOrder.toCanonical(va.grid()).toCanonical(va).data();
    float[] y = VoxelOrder.toCanonical(vb.grid()).toCanonical(vb).data();
    assertEquals(x.length, y.length);
    double max = 0;
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double d = Math.abs(x[i] - y[i]);
      max = Math.max(max, d);
      sum += d;
    }
    return new double[] {max, sum / x.length};
  }

  @Test
  void aMifWithItsDwSchemeFitsAsTheNiftiWithFslGradients() throws Exception {
    assertEquals(0, CliRunner.run("fit", "--dwi", nii.toString(), "--out", dir("fsl"),
        "--no-progress").exitCode());
    for (String mif : List.of("dwi.mif", "dwi.mif.gz")) {
      CliRunner.Result r = CliRunner.run("fit", "--dwi", tmp.resolve(mif).toString(), "--out",
          dir(mif + "-fit"), "--no-progress");
      assertEquals(0, r.exitCode(), r.err());
      for (String map : List.of("ndi", "odi", "fwf")) {
        double[] d = difference(tmp.resolve("fsl/" + map + ".nii.gz"), tmp.resolve(mif
            + "-fit/" + map + ".nii.gz"));
        assertTrue(d[1] < 1e-3 && d[0] < 0.05, String.format(Locale.ROOT, "%s %s: max %.4f,"
            + " mean %.5f", mif, map, d[0], d[1]));
      }
    }
  }

  @Test
  void infoDescribesAMifAndTheShellsOfItsDwScheme() {
    CliRunner.Result r = CliRunner.run("info", tmp.resolve("dwi.mif.gz").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("format       MRtrix image (gzipped)") && r.out().contains(
        "dimensions   12 x 12 x 12 x 64") && r.out().contains("b0 x 4, b=1000 x 30, b=2000 x"
            + " 30"), r.out());
  }

  @Test
  void gradIsAnMrtrixTableOnFitAndPredict() throws Exception {
    CliRunner.Result fsl = CliRunner.run("fit", "--dwi", nii.toString(), "--out",
        dir("f1"), "--no-progress");
    assertEquals(0, fsl.exitCode(), fsl.err());
    CliRunner.Result grad = CliRunner.run("fit", "--dwi", nii.toString(), "--grad",
        tmp.resolve("grad.b").toString(), "--out", dir("f2"),
        "--no-progress");
    assertEquals(0, grad.exitCode(), grad.err());
    double[] d = difference(tmp.resolve("f1/ndi.nii.gz"), tmp.resolve("f2/ndi.nii.gz"));
    assertTrue(d[1] < 1e-3, "mean NDI difference " + d[1]);
    assertTrue(Files.readString(tmp.resolve("f2/fit.json")).contains("MRtrix table grad.b"));
    CliRunner.Result both = CliRunner.run("fit", "--dwi", nii.toString(), "--grad",
        tmp.resolve("grad.b").toString(), "--bval", "x.bval", "--out", dir("f3"));
    assertEquals(1, both.exitCode());
    assertTrue(both.err().contains("expected an MRtrix table or an FSL pair, found both"),
        both.err());
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    CliRunner.Result p = CliRunner.run("predict", "--dwi", tmp.resolve("dwi.mif").toString(),
        "--out", tmp.resolve("pm").toString(), "--method", "classic", "--no-progress");
    assertEquals(0, p.exitCode(), p.err());
    CliRunner.Result q = CliRunner.run("predict", "--dwi", nii.toString(), "--grad",
        tmp.resolve("grad.b").toString(), "--out", tmp.resolve("pg").toString(), "--method",
        "classic", "--no-progress");
    assertEquals(0, q.exitCode(), q.err());
    double[] e = difference(tmp.resolve("pm_ndi.nii.gz"), tmp.resolve("pg_ndi.nii.gz"));
    assertTrue(e[1] < 1e-3, "mean predicted NDI difference " + e[1]);
  }
}
