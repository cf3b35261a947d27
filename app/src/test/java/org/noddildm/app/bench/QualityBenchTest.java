package org.noddildm.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.model.diffusion.ShippedModel;

class QualityBenchTest {
  @Test
  void aSmallRunScoresEveryMethodPerMapAndWritesTheScoresOfEachSubject(@TempDir Path tmp)
      throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    Path work = tmp.resolve("bq");
    CliRunner.Result r = CliRunner.run("bench", "quality", "--subjects", "1", "--size", "32",
        "--steps", "2,3", "--work", work.toString());
    assertEquals(0, r.exitCode(), r.err());
    for (String row : new String[] {"| (a) low-res fit + trilinear |",
        "| (b) noiseless high-res fit |", "| (d) model, DDIM 2 |", "| (d) model, DDIM 3 |",
        "Inside the brain mask", "Whole volume", "Model time per subject"}) {
      assertTrue(r.out().contains(row), "missing " + row + " in\n" + r.out());
    }
    JsonObject json = JsonParser.parseString(Files.readString(work.resolve("quality.json")))
        .getAsJsonObject();
    JsonObject b = json.getAsJsonObject("methods").getAsJsonObject(
        "(b) noiseless high-res fit").getAsJsonArray("subjects").get(0).getAsJsonObject();
    // the fitter inverts the phantom's own forward model: noiseless data gives the maps back
    assertTrue(b.getAsJsonObject("inMask").getAsJsonObject("NDI").get("psnr").getAsDouble()
        > 35, b.toString());
    assertEquals(1, json.getAsJsonObject("methods").getAsJsonObject("(d) model, DDIM 2")
        .getAsJsonArray("seconds").size());
  }
}
