package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.bundle.ShippedModel;

/**
 * A tiny diffusion model conditioned on the scan (the VQ-GANs of the maps and of the DWI
 * features, then {@code train-ldm}), then {@code noddi predict}, {@code export-model} and
 * {@code demo} with it. ({@code noddi train}, which trains the model that ships, is in {@link
 * TrainCommandTest}.)
 */
@Tag("slow")
class TrainAndPredictCommandTest {
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void trainTinyModel() throws Exception {
    Path data = TrainLdmCommandTest.dataset(tmp.resolve("data"));
    for (String target : new String[] {"noddi", "dwi"}) {
      CliRunner.Result r = CliRunner.run("train-vqgan", "--data", data.toString(), "--target",
          target, "--out", tmp.resolve("vq-" + target).toString(), "--crop", "8", "--batch",
          "2", "--width", "4", "--down-factor", "2", "--latent-dim", "8", "--code-groups", "4",
          "--codebook", "16", "--lr", "4e-4", "--steps", "3", "--validate-every", "0",
          "--seed", "5");
      assertEquals(0, r.exitCode(), r.err());
    }
    model = tmp.resolve("model");
    CliRunner.Result r = CliRunner.run("dev", "train-ldm", "--data", data.toString(), "--vqgan-noddi",
        tmp.resolve("vq-noddi").toString(), "--vqgan-dwi", tmp.resolve("vq-dwi").toString(),
        "--out", model.toString(), "--width", "4", "--crop", "2", "--batch", "2", "--steps",
        "3", "--prediction", "v", "--ema", "0.995", "--validate-every", "0",
        "--validate-steps", "2", "--seed", "5");
    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void theModelDirectoryNamesItsParts() throws Exception {
    ModelBundle m = ModelBundle.open(model);
    assertEquals(model, m.ldm());
    assertFalse(m.isResidual());
    JsonObject dwi = new Gson().fromJson(Files.readString(m.vqganDwi().resolve("model.json")),
        JsonObject.class).getAsJsonObject("data");
    assertEquals(2, dwi.get("factor").getAsInt());
    assertEquals(1000.0, dwi.getAsJsonObject("features").getAsJsonArray("shells").get(0)
        .getAsDouble());
  }

  @Test
  void anExportedModelHoldsOnlyInferenceWeightsAndPredictsExactlyAsTheOriginal()
      throws Exception {
    Path slim = tmp.resolve("exported");
    CliRunner.Result r = CliRunner.run("dev", "export-model", "--model", model.toString(), "--out",
        slim.toString(), "--note", "test");
    assertEquals(0, r.exitCode(), r.err());
    java.util.List<String> files = Files.readAllLines(slim.resolve("files.txt"));
    assertTrue(files.contains("model.json") && files.contains("ldm/model.json"), "" + files);
    assertTrue(files.stream().anyMatch(f -> f.startsWith("ldm/step-") && f.endsWith(
        "/ema.params")), "" + files);
    for (String f : files) {
      assertTrue(Files.isRegularFile(slim.resolve(f)), f);
      assertFalse(f.contains("adam") || f.contains("discriminator") || f.endsWith(
          "unet.params"), "training-only file exported: " + f);
    }
    // each part's model.json lists exactly the files of the exported checkpoint
    var ldmJson = com.google.gson.JsonParser.parseString(Files.readString(slim.resolve(
        "ldm/model.json"))).getAsJsonObject();
    assertEquals(java.util.Set.of("ema.params"), ldmJson.getAsJsonObject("files").keySet());
    Path scan = lasScan(tmp.resolve("export-scan"), 1000, 5);
    assertEquals(0, CliRunner.run("predict", "--dwi", scan.resolve("dwi.nii.gz")
        .toString(), "--bval", scan.resolve("dwi.bval").toString(), "--bvec",
        scan.resolve("dwi.bvec").toString(), "--model", model.toString(), "--ddim-steps", "2",
        "--seed", "3",
        "--out", scan.resolve("orig/pred").toString()).exitCode());
    assertEquals(0, CliRunner.run("predict", "--dwi", scan.resolve("dwi.nii.gz")
        .toString(), "--bval", scan.resolve("dwi.bval").toString(), "--bvec",
        scan.resolve("dwi.bvec").toString(), "--model", slim.toString(), "--ddim-steps", "2",
        "--seed", "3",
        "--out", scan.resolve("slim/pred").toString()).exitCode());
    assertTrue(java.util.Arrays.equals(
        NiftiReader.read(scan.resolve("orig/pred_noddi.nii.gz")).volume().data(),
        NiftiReader.read(scan.resolve("slim/pred_noddi.nii.gz")).volume().data()));
    CliRunner.Result again = CliRunner.run("dev", "export-model", "--model", model.toString(),
        "--out", slim.toString());
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("found one already there"), again.err());
  }

  /** A LAS scan (x flipped) of 10 x 6 x 4 voxels: larger than one 4-voxel latent tile. */
  private static Path lasScan(Path dir, double bvalue, int volumes) throws Exception {
    Files.createDirectories(dir);
    Affine las = Affine.of(new double[][] {{-2.5, 0, 0, 12}, {0, 2.5, 0, -7}, {0, 0, 2.5, 3},
        {0, 0, 0, 1}});
    Grid lo = new Grid(10, 6, 4, las);
    Volume v = Volume.zeros(lo, volumes);
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < lo.size(); i++) {
      v.data()[i] = 1000;
      for (int t = 1; t < volumes; t++) {
        v.data()[t * lo.size() + i] = (float) (1000 * Math.exp(-0.8 - r.nextDouble()));
      }
    }
    NiftiWriter.write(dir.resolve("dwi.nii.gz"), v);
    double[] bvals = {0, bvalue, bvalue, bvalue, bvalue};
    double[][] bvecs = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.8, 0}};
    GradientIO.writeFsl(GradientTable.of(bvals, bvecs), dir.resolve("dwi.bval"),
        dir.resolve("dwi.bvec"));
    return dir;
  }

  private static CliRunner.Result predict(Path scan, String... more) {
    String[] base = {"predict", "--dwi", scan.resolve("dwi.nii.gz").toString(), "--bval",
        scan.resolve("dwi.bval").toString(), "--bvec", scan.resolve("dwi.bvec").toString(),
        "--out", scan.resolve("out/pred").toString()};
    String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, a, base.length, more.length);
    return CliRunner.run(a);
  }

  @Test
  void predictWritesMapsOnTheHighResGridWithTheScansOrientation() throws Exception {
    Path scan = lasScan(tmp.resolve("las"), 1000, 5);
    CliRunner.Result r = predict(scan, "--model", model.toString(), "--ddim-steps", "2",
        "--samples", "2", "--tile", "4", "--overlap", "2", "--seed", "7");
    assertEquals(0, r.exitCode(), r.err());
    Grid lo = NiftiReader.read(scan.resolve("dwi.nii.gz")).volume().grid();
    Grid hi = VolumeOps.upsampledGrid(lo, 2);
    for (String map : new String[] {"ndi", "odi", "fwf", "ndi_std", "odi_std", "fwf_std"}) {
      NiftiImage img = NiftiReader.read(scan.resolve("out/pred_" + map + ".nii.gz"));
      Grid g = img.volume().grid();
      assertEquals(20, g.nx());
      assertEquals(12, g.ny());
      assertEquals(8, g.nz());
      assertEquals(1, img.volume().nt());
      assertTrue(g.affine().approxEquals(hi.affine(), 1e-5), g.affine() + " vs " + hi.affine());
      assertEquals("LAS", g.affine().axisCodes());
    }
    Volume all = NiftiReader.read(scan.resolve("out/pred_noddi.nii.gz")).volume();
    assertEquals(3, all.nt());
    for (float f : all.data()) {
      assertTrue(f >= 0 && f <= 1, "maps are fractions: " + f);
    }
    JsonObject side = new Gson().fromJson(Files.readString(scan.resolve(
        "out/pred_prediction.json")), JsonObject.class);
    assertEquals(2, side.get("steps").getAsInt());
    assertEquals(7, side.get("seed").getAsLong());
    assertEquals(3, side.getAsJsonObject("model").get("ldmStep").getAsLong());
  }

  @Test
  void predictZeroesTheMapsOutsideTheBrainMask() throws Exception {
    Path scan = lasScan(tmp.resolve("masked"), 1000, 5);
    Grid lo = NiftiReader.read(scan.resolve("dwi.nii.gz")).volume().grid();
    Volume m = Volume.zeros(lo, 1);
    for (int z = 0; z < lo.nz(); z++) {
      for (int y = 0; y < lo.ny(); y++) {
        for (int x = 0; x < 5; x++) {
          m.set(x, y, z, 0, 1f); // the brain is the first half along x
        }
      }
    }
    NiftiWriter.write(scan.resolve("mask.nii.gz"), m);
    CliRunner.Result r = predict(scan, "--model", model.toString(), "--ddim-steps", "2", "--mask",
        scan.resolve("mask.nii.gz").toString());
    assertEquals(0, r.exitCode(), r.err());
    Volume maps = NiftiReader.read(scan.resolve("out/pred_noddi.nii.gz")).volume();
    Volume used = NiftiReader.read(scan.resolve("out/pred_mask.nii.gz")).volume();
    int inside = 0;
    for (int z = 0; z < maps.nz(); z++) {
      for (int y = 0; y < maps.ny(); y++) {
        for (int x = 0; x < maps.nx(); x++) {
          boolean brain = x < 10;
          assertEquals(brain ? 1f : 0f, used.get(x, y, z, 0), "mask at " + x);
          for (int t = 0; t < 3; t++) {
            if (!brain) {
              assertEquals(0f, maps.get(x, y, z, t), "outside the mask at x " + x);
            } else if (maps.get(x, y, z, t) != 0f) {
              inside++;
            }
          }
        }
      }
    }
    assertTrue(inside > 0, "the brain keeps the model's values");
    NiftiWriter.write(scan.resolve("bad_mask.nii.gz"), Volume.zeros(new Grid(3, 3, 3,
        lo.affine()), 1));
    CliRunner.Result bad = predict(scan, "--model", model.toString(), "--ddim-steps", "1",
        "--mask", scan.resolve("bad_mask.nii.gz").toString(), "--force");
    assertEquals(1, bad.exitCode());
    assertTrue(bad.err().contains("expected a brain mask on the scan's grid 10 x 6 x 4 or the"
        + " output grid 20 x 12 x 8 with its affine, found 3 x 3 x 3"), bad.err());
  }

  @Test
  void badInputsGiveOneClearErrorAndNoOutput() throws Exception {
    Path scan = lasScan(tmp.resolve("bad"), 1000, 5);
    CliRunner.Result none = predict(scan);
    assertEquals(1, none.exitCode());
    // without --model: the pretrained model, whose refiner rejects this b=1000-only scan (the
    // NODDI fit needs two shells; a build without a model says so instead)
    String expected = org.noddildm.model.bundle.ShippedModel.available()
        ? "expected a scan with a b0 and at least two diffusion-weighted shells"
        : "carries no pretrained model";
    assertTrue(none.err().contains(expected), none.err());

    CliRunner.Result missing = predict(scan, "--model", tmp.resolve("nope").toString());
    assertTrue(missing.err().startsWith("noddi: error: ") && missing.err().contains(
        "expected a model directory"), missing.err());

    Path shells = lasScan(tmp.resolve("b3000"), 3000, 5);
    CliRunner.Result wrong = predict(shells, "--model", model.toString(), "--ddim-steps", "1");
    assertEquals(1, wrong.exitCode());
    assertTrue(wrong.err().contains("the model expects shells b=1000"), wrong.err());

    Path short4 = lasScan(tmp.resolve("short"), 1000, 4);
    CliRunner.Result count = predict(short4, "--model", model.toString(), "--ddim-steps", "1");
    assertEquals(1, count.exitCode());
    assertTrue(count.err().contains("expected 5 volumes"), count.err());

    Files.writeString(scan.resolve("dwi.bval"), "0 1000 1000 1000\n");
    CliRunner.Result pair = predict(scan, "--model", model.toString(), "--ddim-steps", "1");
    assertEquals(1, pair.exitCode());
    assertTrue(pair.err().contains("dwi.bvec") || pair.err().contains("dwi.bval"), pair.err());
    for (Path p : new Path[] {scan, shells, short4}) {
      assertFalse(Files.exists(p.resolve("out")), "no output on bad input: " + p);
    }
  }

  @Test
  void demoWithAModelScoresItBesideTheBaseline() throws Exception {
    Path out = tmp.resolve("demo");
    CliRunner.Result r = CliRunner.run("demo", "--out", out.toString(), "--size", "24",
        "--model", model.toString(), "--ddim-steps", "2");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(Files.exists(out.resolve("model/pred_noddi.nii.gz")));
    assertTrue(Files.readString(out.resolve("scores_model.json")).contains("psnr"));
    String page = Files.readString(out.resolve("report/index.html"));
    assertTrue(page.contains("learned model and classic baseline against reference"));
    assertTrue(r.out().contains("report: "), r.out());
  }
}
