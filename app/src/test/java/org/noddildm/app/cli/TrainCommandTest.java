package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.model.bundle.ModelBundle;

/**
 * {@code noddi train} trains the model that ships (VQ-GAN, refiner, diffusion model on the
 * refiner) in one process into one model directory, resumes it, and {@code predict} and
 * {@code export-model} work on what it wrote.
 */
@Tag("slow")
class TrainCommandTest {
  @TempDir static Path tmp;
  static Path data;
  static Path model;
  static CliRunner.Result first;

  static String[] tiny(String... more) {
    String[] base = {"train", "--data", data.toString(), "--out", model.toString(),
        "--steps-vqgan", "2", "--finetune-vqgan", "1", "--width-vqgan", "4", "--crop", "8",
        "--codebook", "16", "--steps-refiner", "2", "--width-refiner", "4", "--blocks", "1",
        "--crop-refiner", "8", "--steps-ldm", "2", "--finetune-ldm", "1", "--width-ldm", "4",
        "--latent-crop", "4", "--batch-ldm", "1", "--validate-steps", "1", "--seed", "5"};
    String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, a, base.length, more.length);
    return a;
  }

  @BeforeAll
  static void trainTinyModel() throws Exception {
    data = tmp.resolve("data");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "32x32x32",
        "--subjects", "3", "--seed", "5").exitCode());
    model = tmp.resolve("model");
    first = CliRunner.run(tiny());
    assertEquals(0, first.exitCode(), first.err());
  }

  @Test
  void trainsTheThreePartsInOneProcessWithTheirFineTuning() throws Exception {
    String out = first.out();
    assertTrue(out.contains("[1/3] VQ-GAN") && out.contains("[2/3] refiner")
        && out.contains("[3/3] diffusion model on top of the refiner"), out);
    assertTrue(out.contains("VQ-GAN: fine-tuning, learning rate 4.0E-4 -> 1.0E-4 from step 2"),
        out);
    assertTrue(out.contains("diffusion model: fine-tuning, learning rate 2.0E-4 -> 1.0E-4 from"
        + " step 2"), out);
    assertTrue(out.contains("refiner validation at step 2") && out.contains(
        "diffusion validation at step 3"), out);
    ModelBundle m = ModelBundle.open(model);
    assertTrue(m.isResidual());
    assertEquals(model.resolve("refiner"), m.refiner());
    assertEquals(model.resolve("vqgan-noddi"), m.vqganNoddi());
    JsonObject ldm = JsonParser.parseString(Files.readString(model.resolve("ldm/model.json")))
        .getAsJsonObject();
    assertEquals(3, ldm.get("step").getAsLong());
    assertEquals(1.0E-4, ldm.getAsJsonObject("train").get("lr").getAsDouble());
    JsonObject vq = JsonParser.parseString(Files.readString(model.resolve(
        "vqgan-noddi/model.json"))).getAsJsonObject();
    assertEquals(3, vq.get("step").getAsLong());
    // the GAN loss is off unless asked for, and says so: it starts after the last step
    assertEquals(4, vq.getAsJsonObject("config").get("discStart").getAsInt());
  }

  @Test
  void resumingAFinishedRunKeepsEveryPartAndARefusalWithoutResume() throws Exception {
    byte[] before = Files.readAllBytes(model.resolve("refiner/model.json"));
    CliRunner.Result again = CliRunner.run(tiny("--resume"));
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("VQ-GAN: kept as it is (step 3 of 3)"), again.out());
    assertTrue(again.out().contains("refiner: kept as it is (step 2 of 2)"), again.out());
    assertTrue(again.out().contains("diffusion model: kept as it is (step 3 of 3)"),
        again.out());
    assertArrayEquals(before, Files.readAllBytes(model.resolve("refiner/model.json")));
    CliRunner.Result refused = CliRunner.run(tiny());
    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("already exists; use --resume"), refused.err());
  }

  @Test
  void predictAndTheExportedModelGiveTheSameMaps() throws Exception {
    Path slim = tmp.resolve("slim");
    assertEquals(0, CliRunner.run("dev", "export-model", "--model", model.toString(), "--out",
        slim.toString()).exitCode());
    Path scan = data.resolve("sub-0003/dwi_lowres.nii.gz");
    for (String method : new String[] {"refine", "ldm"}) {
      for (Path dir : new Path[] {model, slim}) {
        CliRunner.Result r = CliRunner.run("predict", "--dwi", scan.toString(), "--model",
            dir.toString(), "--method", method, "--ddim-steps", "1", "--out",
            tmp.resolve(method + "-" + dir.getFileName() + "/pred").toString());
        assertEquals(0, r.exitCode(), r.err());
      }
      float[] a = NiftiReader.read(tmp.resolve(method + "-model/pred_noddi.nii.gz")).volume()
          .data();
      float[] b = NiftiReader.read(tmp.resolve(method + "-slim/pred_noddi.nii.gz")).volume()
          .data();
      assertArrayEquals(a, b, method);
    }
    assertFalse(Files.readString(slim.resolve("files.txt")).contains("adam"));
  }
}
