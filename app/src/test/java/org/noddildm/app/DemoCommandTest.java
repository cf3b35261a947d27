package org.noddildm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoRunsThePipelineOnASmallSubjectAndWritesScoresAndReport() throws Exception {
    Path out = dir.resolve("demo");
    CliRunner.Result r = CliRunner.run("demo", "--out", out.toString(), "--size", "32");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(Files.size(out.resolve("report/index.html")) > 10_000);
    assertTrue(Files.exists(out.resolve("baseline/noddi_upsampled.nii.gz")));
    JsonObject scores = JsonParser.parseString(Files.readString(out.resolve(
        "scores_baseline.json"))).getAsJsonObject();
    String text = scores.toString();
    assertTrue(text.contains("NDI") && text.contains("psnr"), text);
    assertTrue(r.out().contains("report: "), r.out());
  }

  @Test
  void aFailingStepStopsTheDemoWithOneErrorLine() throws Exception {
    Path blocker = dir.resolve("file-not-folder");
    Files.writeString(blocker, "x");
    CliRunner.Result r = CliRunner.run("demo", "--out", blocker.toString(), "--size", "32");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("noddi: error:"), r.err());
  }
}
