package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.model.bundle.ModelBundle;

/**
 * {@code noddi train-residual-ldm} on a tiny simulated dataset, its export beside the refiner
 * it builds on, and {@code predict --method ldm} with both.
 */
@Tag("slow")
class TrainResidualLdmCommandTest {
  @TempDir Path tmp;

  /** Simulates {@code subjects} 32^3 subjects into {@code data} and trains a tiny refiner. */
  private Path dataAndRefiner(Path data, int subjects, long seed) {
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "32x32x32",
        "--subjects", "" + subjects, "--seed", "" + seed).exitCode());
    Path refiner = tmp.resolve("refiner");
    assertEquals(0, CliRunner.run("train-refiner", "--data", data.toString(), "--out",
        refiner.toString(), "--steps", "2", "--width", "4", "--blocks", "1",
        "--checkpoint-every", "2").exitCode());
    return refiner;
  }

  @Test
  void trainsExportsAndPredictsOnTopOfTheRefiner() throws Exception {
    Path data = tmp.resolve("data");
    Path refiner = dataAndRefiner(data, 3, 5);
    Path vq = tmp.resolve("vq");
    CliRunner.Result v = CliRunner.run("train-vqgan", "--data", data.toString(), "--target",
        "noddi", "--out", vq.toString(), "--crop", "8", "--batch", "1", "--width", "4",
        "--down-factor", "2", "--steps", "1", "--validate-every", "0", "--seed", "2");
    assertEquals(0, v.exitCode(), v.err());
    Path res = tmp.resolve("res");
    CliRunner.Result r = CliRunner.run("train-residual-ldm", "--data", data.toString(),
        "--refiner", refiner.toString(), "--vqgan-noddi", vq.toString(), "--out",
        res.toString(), "--steps", "2", "--width", "4", "--crop", "8", "--batch", "1",
        "--validate-steps", "1", "--checkpoint-every", "2");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("2 training and 1 validation subjects"), r.out());
    assertTrue(r.out().contains("against the refiner's"), r.out());
    ModelBundle m = ModelBundle.open(res);
    assertTrue(m.isResidual());
    assertEquals(refiner.toAbsolutePath(), m.refiner());

    Path slim = tmp.resolve("slim");
    assertEquals(0, CliRunner.run("dev", "export-model", "--model", res.toString(), "--out",
        slim.toString()).exitCode());
    List<String> files = Files.readAllLines(slim.resolve("files.txt"));
    assertTrue(files.contains("refiner/model.json"), "" + files);
    assertFalse(files.stream().anyMatch(f -> f.startsWith("vqgan-dwi")), "" + files);
    for (String f : files) {
      if (f.endsWith(".json")) {
        String text = Files.readString(slim.resolve(f));
        assertFalse(text.contains(tmp.toString()), f + " names a machine path: " + text);
      }
    }

    Path scan = data.resolve("sub-0003/dwi_lowres.nii.gz");
    for (Path model : List.of(res, slim)) {
      assertEquals(0, CliRunner.run("predict", "--dwi", scan.toString(), "--model",
          model.toString(), "--method", "ldm", "--ddim-steps", "1", "--samples", "2", "--out",
          tmp.resolve("out-" + model.getFileName() + "/pred").toString()).exitCode());
    }
    float[] a = NiftiReader.read(tmp.resolve("out-res/pred_noddi.nii.gz")).volume().data();
    float[] b = NiftiReader.read(tmp.resolve("out-slim/pred_noddi.nii.gz")).volume().data();
    assertArrayEquals(a, b);
    assertTrue(Files.exists(tmp.resolve("out-slim/pred_ndi_std.nii.gz")));
    JsonObject prov = JsonParser.parseString(Files.readString(
        tmp.resolve("out-slim/pred_prediction.json"))).getAsJsonObject();
    assertTrue(prov.has("refiner") && prov.getAsJsonObject("model").get("condition")
        .getAsString().contains("refiner"), prov.toString());
  }

  @Test
  void theSubVoxelModelLearnsTissueTargetsPerMapScaleAndCanWarmStart() throws Exception {
    Path data = tmp.resolve("data");
    Path refiner = dataAndRefiner(data, 2, 6);
    Path a = tmp.resolve("a");
    CliRunner.Result r = CliRunner.run("train-residual-ldm", "--data", data.toString(),
        "--refiner", refiner.toString(), "--out", a.toString(), "--steps", "2", "--width", "4",
        "--crop", "8", "--batch", "1", "--validate-steps", "1", "--checkpoint-every", "2");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject meta = JsonParser.parseString(Files.readString(a.resolve("model.json")))
        .getAsJsonObject().getAsJsonObject("data");
    assertEquals(3, meta.getAsJsonArray("latentScales").size(), meta.toString());
    assertTrue(meta.get("target").getAsString().startsWith("truth in the brain, refined"));

    Path b = tmp.resolve("b");
    CliRunner.Result w = CliRunner.run("train-residual-ldm", "--data", data.toString(),
        "--refiner", refiner.toString(), "--out", b.toString(), "--steps", "1", "--width", "4",
        "--crop", "8", "--batch", "1", "--validate-steps", "1", "--init-from", a.toString());
    assertEquals(0, w.exitCode(), w.err());
    JsonObject init = JsonParser.parseString(Files.readString(b.resolve("model.json")))
        .getAsJsonObject().getAsJsonObject("data").getAsJsonObject("initFrom");
    assertEquals(2, init.get("step").getAsLong(), init.toString());
    CliRunner.Result wide = CliRunner.run("train-residual-ldm", "--data", data.toString(),
        "--refiner", refiner.toString(), "--out", tmp.resolve("c").toString(), "--steps", "1",
        "--width", "8", "--crop", "8", "--batch", "1", "--init-from", a.toString());
    assertEquals(1, wide.exitCode(), "a bad input, not a bad usage");
    assertTrue(wide.err().contains("--init-from: expected a diffusion model with this run's"
        + " U-Net"), wide.err());

    Path deep = tmp.resolve("deep");
    CliRunner.Result dr = CliRunner.run("train-residual-ldm", "--data", data.toString(),
        "--refiner", refiner.toString(), "--out", deep.toString(), "--steps", "1", "--width",
        "4", "--crop", "8", "--batch", "2", "--validate-steps", "1", "--levels", "3",
        "--res-blocks", "2", "--noise-levels", "lognormal-mix", "--global-context");
    assertEquals(0, dr.exitCode(), dr.err());
    JsonObject dj = JsonParser.parseString(Files.readString(deep.resolve("model.json")))
        .getAsJsonObject();
    JsonObject unet = dj.getAsJsonObject("config").getAsJsonObject("unet");
    assertEquals("[1,2,4]", unet.get("multipliers").toString());
    assertEquals(2, unet.get("resBlocks").getAsInt());
    assertTrue(unet.get("globalContext").getAsBoolean(), unet.toString());
    assertFalse(JsonParser.parseString(Files.readString(b.resolve("model.json")))
        .getAsJsonObject().getAsJsonObject("config").getAsJsonObject("unet")
        .get("globalContext").getAsBoolean(), "off by default");
    CliRunner.Result dp = CliRunner.run("predict", "--dwi", data.resolve(
        "sub-0001/dwi_lowres.nii.gz").toString(), "--model", deep.toString(), "--method", "ldm",
        "--ddim-steps", "2", "--samples", "2", "--out", tmp.resolve("out-deep/p").toString());
    assertEquals(0, dp.exitCode(), dp.err());
    assertTrue(Files.exists(tmp.resolve("out-deep/p_fwf_std.nii.gz")), "the deeper, global"
        + " U-Net samples");
    assertEquals("lognormal-mix", dj.getAsJsonObject("train").get("noiseLevels").getAsString());
    CliRunner.Result bad = CliRunner.run("train-residual-ldm", "--data", data.toString(),
        "--refiner", refiner.toString(), "--out", tmp.resolve("e").toString(), "--steps", "1",
        "--noise-levels", "cosine");
    assertEquals(1, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("noise levels: expected uniform or lognormal-mix, found cosine"),
        bad.err());
    assertFalse(Files.exists(tmp.resolve("e").resolve("model.json")), "nothing written");
    CliRunner.Result deeper = CliRunner.run("train-residual-ldm", "--data", data.toString(),
        "--refiner", refiner.toString(), "--out", tmp.resolve("f").toString(), "--levels", "5");
    assertEquals(1, deeper.exitCode(), deeper.err());
    assertTrue(deeper.err().contains("--levels: expected 1 to 4, found 5"), deeper.err());

    // at t = 0 the residual is all but given: the denoised maps are the truth to 40 dB and more
    CliRunner.Result d = CliRunner.run("dev", "bench", "denoiser", "--ldm", a.toString(),
        "--data", data.toString(), "--subject", "sub-0002", "--t", "0,999");
    assertEquals(0, d.exitCode(), d.err());
    String row = d.out().lines().filter(l -> l.startsWith("| sub-0002 | 0 |")).findFirst()
        .orElseThrow();
    String[] c = row.split("\\|");
    for (int k = 3; k <= 5; k++) {
      assertTrue(Double.parseDouble(c[k].trim()) > 40, row);
      assertTrue(Double.parseDouble(c[k + 3].trim()) < 40, "the refiner is not the truth: "
          + row);
    }
    assertTrue(d.out().contains("| sub-0002 | 999 |"), d.out());
  }
}
