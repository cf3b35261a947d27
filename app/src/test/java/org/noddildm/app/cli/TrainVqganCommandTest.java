package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.train.Checkpoints;
import picocli.CommandLine;

class TrainVqganCommandTest {
  /** Two subjects of smooth random 12^3 NODDI maps in the paired layout. */
  static Path dataset(Path dir) throws Exception {
    for (int s = 1; s <= 2; s++) {
      Path sub = Files.createDirectories(dir.resolve(String.format("sub-%04d", s)));
      Volume v = Volume.zeros(Grid.of(12, 12, 12, 1.25), 3);
      SplittableRandom r = new SplittableRandom(s);
      double[] phase = {r.nextDouble() * 6, r.nextDouble() * 6, r.nextDouble() * 6};
      for (int t = 0; t < 3; t++) {
        for (int z = 0; z < 12; z++) {
          for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 12; x++) {
              v.set(x, y, z, t, (float) (0.5 + 0.4 * Math.sin(0.4 * x + phase[t])
                  * Math.cos(0.3 * y + 0.2 * z)));
            }
          }
        }
      }
      NiftiWriter.write(sub.resolve("noddi.nii.gz"), v);
    }
    return HandMadeDataset.complete(dir, 2, 2);
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void trainsWritesModelJsonAndResumesToMoreSteps(@TempDir Path tmp) throws Exception {
    Path data = dataset(tmp.resolve("data"));
    Path model = tmp.resolve("model");
    String[] common = {"train-vqgan", "--data", data.toString(), "--target", "noddi", "--out",
        model.toString(), "--crop", "8", "--batch", "1", "--width", "4", "--disc-start", "2",
        "--checkpoint-every", "2", "--validate-every", "2", "--seed", "3"};
    String[] r = run(concat(common, "--steps", "2"));
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("1 held out"), r[1]);
    assertTrue(r[1].contains("validation at step 2: PSNR"), r[1]);
    JsonObject json = Checkpoints.readJson(model);
    assertEquals(2, json.get("step").getAsLong());
    assertEquals("noddi", json.getAsJsonObject("data").get("target").getAsString());
    assertEquals(3, json.getAsJsonObject("config").get("seed").getAsLong());

    String[] again = run(concat(common, "--steps", "3"));
    assertEquals("1", again[0]);
    assertTrue(again[2].contains("already holds a model; use --resume"), again[2]);

    String[] resumed = run(concat(common, "--steps", "4", "--resume"));
    assertEquals("0", resumed[0], resumed[2]);
    assertEquals(4, Checkpoints.readJson(model).get("step").getAsLong());
    assertEquals(2, Checkpoints.readJson(model).getAsJsonArray("validation").size());
    assertTrue(Files.isDirectory(model.resolve("step-0000004")));
    assertTrue(!Files.exists(model.resolve("step-0000002")), "older checkpoints are removed");

    // a changed optimizer state is named before anything is loaded
    Path adam = model.resolve("step-0000004/adam-generator.ndlist");
    byte[] b = Files.readAllBytes(adam);
    b[b.length - 1] ^= 1;
    Files.write(adam, b);
    String[] damaged = run(concat(common, "--steps", "6", "--resume"));
    assertEquals("1", damaged[0], damaged[2]);
    assertTrue(damaged[2].strip().startsWith("noddi: error: " + adam + ": expected SHA-256 ")
        && damaged[2].strip().lines().count() == 1, damaged[2]);
  }

  @Test
  void resumeCanLowerTheLearningRateAndPostponeTheDiscriminator(@TempDir Path tmp)
      throws Exception {
    Path data = dataset(tmp.resolve("data"));
    Path model = tmp.resolve("model");
    String[] common = {"train-vqgan", "--data", data.toString(), "--target", "noddi", "--out",
        model.toString(), "--crop", "8", "--batch", "1", "--width", "4", "--checkpoint-every",
        "2", "--validate-every", "0", "--seed", "3"};
    assertEquals("0", run(concat(common, "--steps", "2", "--lr", "4e-4", "--disc-start", "3"))[0]);
    String[] r = run(concat(common, "--steps", "4", "--resume", "--lr", "1e-5", "--disc-start",
        "100"));
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("learning rate 4.0E-4 -> 1.0E-5 from step 2"), r[1]);
    assertTrue(r[1].contains("discriminator start 3 -> 100"), r[1]);
    JsonObject json = Checkpoints.readJson(model);
    assertEquals(1e-5, json.getAsJsonObject("train").get("lr").getAsDouble());
    assertEquals(100, json.getAsJsonObject("config").get("discStart").getAsInt());
    // without the options, a resume keeps the stored values
    assertEquals("0", run(concat(common, "--steps", "5", "--resume"))[0]);
    assertEquals(1e-5, Checkpoints.readJson(model).getAsJsonObject("train").get("lr")
        .getAsDouble());
  }

  @Test
  void missingDwiFilesGiveOneClearError(@TempDir Path tmp) throws Exception {
    Path data = dataset(tmp.resolve("data"));
    Files.delete(data.resolve("sub-0002").resolve("dwi_lowres.nii.gz"));
    String[] r = run("train-vqgan", "--data", data.toString(), "--target", "dwi", "--out",
        tmp.resolve("m").toString(), "--steps", "1");
    assertEquals("1", r[0]);
    assertTrue(r[2].startsWith("noddi: error: ") && r[2].contains("expected subject sub-0002's"
        + " dwi_lowres.nii.gz, found no such file") && r[2].strip().lines().count() == 1, r[2]);
    assertTrue(!Files.exists(tmp.resolve("m")), "no half-written model directory");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aCropLargerThanTheVolumesIsRefusedBeforeAnythingIsWritten(@TempDir Path tmp)
      throws Exception {
    Path data = dataset(tmp.resolve("data"));
    Path model = tmp.resolve("model");
    String[] r = run("train-vqgan", "--data", data.toString(), "--target", "noddi", "--out",
        model.toString(), "--crop", "16", "--steps", "1");
    assertEquals("1", r[0], r[2]);
    assertEquals("noddi: error: VQ-GAN training crop: expected at most the smallest side of the"
        + " training volumes, 12 voxels (12 x 12 x 12), found 16", r[2].strip());
    assertFalse(Files.exists(model));
  }
}
