package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.ldm.LdmCheckpoints;

class TrainLdmCommandTest {
  /**
   * Two subjects: smooth 16^3 NODDI maps and an 8^3 low-res DWI (1 b0 + 4 directions), factor
   * 2.
   */
  static Path dataset(Path dir) throws Exception {
    double[] bvals = {0, 1000, 1000, 1000, 1000};
    double[][] bvecs = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.8, 0}};
    GradientTable table = GradientTable.of(bvals, bvecs);
    for (int s = 1; s <= 2; s++) {
      Path sub = Files.createDirectories(dir.resolve(String.format("sub-%04d", s)));
      Grid hi = Grid.of(16, 16, 16, 1.25);
      Volume maps = Volume.zeros(hi, 3);
      SplittableRandom r = new SplittableRandom(s);
      double phase = r.nextDouble() * 6;
      for (int t = 0; t < 3; t++) {
        for (int z = 0; z < 16; z++) {
          for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
              maps.set(x, y, z, t, (float) (0.5 + 0.4 * Math.sin(0.4 * x + phase + t)
                  * Math.cos(0.3 * y + 0.2 * z)));
            }
          }
        }
      }
      NiftiWriter.write(sub.resolve("noddi.nii.gz"), maps);
      Grid lo = VolumeOps.downsampledGrid(hi, 2);
      Volume dwi = Volume.zeros(lo, 5);
      for (int i = 0; i < lo.size(); i++) {
        dwi.data()[i] = 1000;
        for (int t = 1; t < 5; t++) {
          dwi.data()[t * lo.size() + i] = (float) (1000 * Math.exp(-0.8 - r.nextDouble()));
        }
      }
      NiftiWriter.write(sub.resolve("dwi_lowres.nii.gz"), dwi);
      GradientIO.writeFsl(table, sub.resolve("dwi_lowres.bval"), sub.resolve("dwi_lowres.bvec"));
    }
    return HandMadeDataset.complete(dir, 2, 2);
  }

  private static void vqgan(Path data, String target, Path out) {
    CliRunner.Result r = CliRunner.run("train-vqgan", "--data", data.toString(), "--target",
        target, "--out", out.toString(), "--crop", "8", "--batch", "1", "--width", "4",
        "--steps", "1", "--validate-every", "0", "--seed", "2");
    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void trainsOnLatentPairsAndResumes(@TempDir Path tmp) throws Exception {
    Path data = dataset(tmp.resolve("data"));
    vqgan(data, "noddi", tmp.resolve("vq-noddi"));
    vqgan(data, "dwi", tmp.resolve("vq-dwi"));
    Path model = tmp.resolve("ldm");
    String[] common = {"dev", "train-ldm", "--data", data.toString(), "--vqgan-noddi",
        tmp.resolve("vq-noddi").toString(), "--vqgan-dwi", tmp.resolve("vq-dwi").toString(),
        "--out", model.toString(), "--width", "4", "--crop", "2", "--batch", "2",
        "--checkpoint-every", "2", "--validate-every", "0", "--validate-steps", "3", "--seed",
        "9"};
    CliRunner.Result r = CliRunner.run(concat(common, "--steps", "2"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("1 subjects (1 held out), latent 4 x 4 x 4"), r.out());
    assertTrue(r.out().contains("validation at step 2: PSNR"), r.out());
    JsonObject json = LdmCheckpoints.readJson(model);
    assertEquals(2, json.get("step").getAsLong());
    assertEquals(9, json.get("seed").getAsLong());
    assertTrue(json.getAsJsonObject("data").get("latentScale").getAsDouble() > 0);

    CliRunner.Result again = CliRunner.run(concat(common, "--steps", "3"));
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("already holds a model; use --resume"), again.err());

    CliRunner.Result resumed = CliRunner.run(concat(common, "--steps", "4", "--resume"));
    assertEquals(0, resumed.exitCode(), resumed.err());
    JsonObject after = LdmCheckpoints.readJson(model);
    assertEquals(4, after.get("step").getAsLong());
    assertEquals(2, after.getAsJsonObject("data").getAsJsonArray("validation").size());
    double psnr = after.getAsJsonObject("data").getAsJsonArray("validation").get(1)
        .getAsJsonObject().get("psnr").getAsDouble();
    assertTrue(Double.isFinite(psnr) && psnr > 0, "PSNR " + psnr);

    CliRunner.Result slower = CliRunner.run(concat(common, "--steps", "5", "--resume", "--lr",
        "1e-5"));
    assertEquals(0, slower.exitCode(), slower.err());
    assertTrue(slower.out().contains("learning rate 2.0E-4 -> 1.0E-5 from step 4"), slower.out());
    assertEquals(1e-5, LdmCheckpoints.readJson(model).getAsJsonObject("train").get("lr")
        .getAsDouble());

    CliRunner.Result big = CliRunner.run("dev", "train-ldm", "--data", data.toString(),
        "--vqgan-noddi", tmp.resolve("vq-noddi").toString(), "--vqgan-dwi",
        tmp.resolve("vq-dwi").toString(), "--out", tmp.resolve("y").toString(), "--crop", "8");
    assertEquals(1, big.exitCode());
    assertTrue(big.err().contains("--crop: expected at most the smallest latent size 4"),
        big.err());
    assertTrue(!Files.exists(tmp.resolve("y")), "no output on bad input");

    CliRunner.Result swapped = CliRunner.run("dev", "train-ldm", "--data", data.toString(),
        "--vqgan-noddi", tmp.resolve("vq-dwi").toString(), "--vqgan-dwi",
        tmp.resolve("vq-noddi").toString(), "--out", tmp.resolve("x").toString());
    assertEquals(1, swapped.exitCode());
    assertTrue(swapped.err().contains("expected a VQ-GAN trained with --target noddi, found"
        + " --target dwi"), swapped.err());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
