package org.noddildm.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.model.bundle.ShippedModel;

@Tag("slow")
class QualityBenchTest {
  @Test
  void aSmallRunScoresEveryMethodAndItsSamplesAndWritesTheScoresOfEachSubject(
      @TempDir Path tmp)
      throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    Path work = tmp.resolve("bq");
    CliRunner.Result r = CliRunner.run("dev", "bench", "quality", "--subjects", "1", "--sets",
        "procedural-64", "--snr", "30", "--acquisition", "kspace", "--ldm-samples", "1,2",
        "--work", work.toString());
    assertEquals(0, r.exitCode(), r.err());
    for (String row : new String[] {"| (a) low-res fit + trilinear |",
        "| (a2) fit of the upsampled scan |", "| diffusion, DDIM 10, 1 sample |",
        "| diffusion, DDIM 10, posterior mean of 2 |", "### procedural-64 (k-space), SNR 30 (1 subjects)",
        "flattened PSNR / SSIM", "| method | detail | texture NDI |"}) {
      assertTrue(r.out().contains(row), "missing " + row + " in\n" + r.out());
    }
    JsonObject set = JsonParser.parseString(Files.readString(work.resolve("quality.json")))
        .getAsJsonObject().getAsJsonObject("sets")
        .getAsJsonObject("procedural-64 (k-space), SNR 30");
    JsonObject a = set.getAsJsonObject("(a) low-res fit + trilinear").getAsJsonArray("subjects")
        .get(0).getAsJsonObject();
    double ndi = a.getAsJsonArray("psnr").get(0).getAsDouble();
    // the classic pipeline on a factor-2 SNR-30 scan: well above noise, well below perfect
    assertTrue(ndi > 15 && ndi < 35, a.toString());
    assertEquals(1, set.getAsJsonObject("(a2) fit of the upsampled scan")
        .getAsJsonArray("seconds").size());
    // one sample's texture around the mean of 2, the mean's spread-skill, Spearman, coverage
    JsonObject one = set.getAsJsonObject("diffusion, DDIM 10, 1 sample").getAsJsonArray(
        "subjects").get(0).getAsJsonObject();
    assertEquals(3, one.getAsJsonArray("texture").size());
    double lowBand = one.getAsJsonArray("texture").get(0).getAsJsonArray().get(0).getAsDouble();
    assertTrue(lowBand > 0 && lowBand < 100, one.toString());
    JsonObject two = set.getAsJsonObject("diffusion, DDIM 10, posterior mean of 2").getAsJsonArray(
        "subjects").get(0).getAsJsonObject();
    double coverage = two.getAsJsonArray("uncertainty").get(2).getAsJsonArray().get(0)
        .getAsDouble();
    assertTrue(coverage > 0 && coverage < 1, two.toString());
    double detail = a.getAsJsonArray("detail").get(0).getAsDouble();
    assertTrue(detail > 0.1 && detail < 2, a.toString());
    // the pictures of the first subject, one per map, read back as PNG images
    for (String map : new String[] {"ndi", "odi", "fwf"}) {
      Path png = work.resolve("procedural_64_k_space_SNR_30_" + map + ".png");
      var img = javax.imageio.ImageIO.read(png.toFile());
      assertTrue(img != null && img.getWidth() > 300 && img.getHeight() > 200, png.toString());
    }
  }
}
