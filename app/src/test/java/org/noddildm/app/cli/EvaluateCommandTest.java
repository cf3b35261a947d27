package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.app.report.DemoMaps;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.Ssim;
import org.noddildm.core.metrics.SsimOptions;
import org.noddildm.core.volume.Volume;

class EvaluateCommandTest {
  @Test
  void scoresEachNoddiMapAndWritesJsonAndCsv(@TempDir Path dir) throws Exception {
    DemoMaps d = DemoMaps.make(24, 1);
    Path pred = dir.resolve("pred.nii.gz");
    Path ref = dir.resolve("ref.nii.gz");
    Path mask = dir.resolve("mask.nii.gz");
    NiftiWriter.write(pred, d.prediction());
    NiftiWriter.write(ref, d.reference());
    NiftiWriter.write(mask, d.mask().toVolume());
    Path labels = dir.resolve("labels.nii.gz");
    NiftiWriter.write(labels, d.labels());
    Path json = dir.resolve("scores.json");
    Path csv = dir.resolve("scores.csv");
    CliRunner.Result r = CliRunner.run("evaluate", "--pred", pred.toString(), "--ref", ref.toString(), "--range", "1.0",
        "--mask", mask.toString(), "--json", json.toString(), "--csv", csv.toString(),
        "--slicewise", "--labels", labels.toString(), "--ssim-map",
        dir.resolve("ssim.nii.gz").toString());
    assertEquals(0, r.exitCode(), r.err());
    for (String name : new String[] {"NDI", "ODI", "FWF", "mean", "SSIM mask"}) {
      assertTrue(r.out().contains(name), r.out());
    }
    JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    JsonObject odi = j.getAsJsonArray("maps").get(1).getAsJsonObject();
    assertEquals("ODI", odi.get("name").getAsString());
    assertEquals(ErrorMetrics.psnr(d.reference(), d.prediction(), 1, d.mask(), 1.0),
        odi.get("psnr").getAsDouble(), 1e-9);
    assertEquals(Ssim.compute(d.prediction(), d.reference(), 1, 1.0, SsimOptions.defaults())
        .mean(), odi.get("ssim").getAsDouble(), 1e-9);
    assertEquals(Ssim.slicewise(d.prediction(), d.reference(), 1, 1.0, SsimOptions.defaults()),
        odi.get("ssimSlicewise2d").getAsDouble(), 1e-12);
    assertTrue(r.out().contains("slice-wise 2D SSIM mean"), r.out());
    assertEquals(5, Files.readAllLines(csv).size()); // header, 3 maps, mean
    Volume map = NiftiReader.read(dir.resolve("ssim.nii.gz")).volume();
    assertEquals(3, map.nt());
    assertEquals(Ssim.compute(d.prediction(), d.reference(), 2, 1.0, SsimOptions.defaults())
        .map()[5000], map.at(5000, 2), 1e-6);
    assertTrue(r.out().contains("deep GM") || r.out().contains("WM "), r.out());
    assertEquals(3, odi.getAsJsonArray("tissues").size()); // CSF, GM, WM
  }

  @Test
  void mismatchedMapCountsAreOneClearError(@TempDir Path dir) throws Exception {
    DemoMaps d = DemoMaps.make(16, 2);
    Path pred = dir.resolve("pred.nii");
    Path ref = dir.resolve("ref.nii");
    NiftiWriter.write(pred, d.prediction().volumes(0, 1));
    NiftiWriter.write(ref, d.reference());
    CliRunner.Result r = CliRunner.run("evaluate", "--pred", pred.toString(), "--ref", ref.toString(), "--json",
        dir.resolve("x.json").toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("expected the same number of maps, found 2 and 3"), r.err());
    assertFalse(Files.exists(dir.resolve("x.json")));
  }

  @Test
  void mismatchedGridsAreOneClearError(@TempDir Path dir) throws Exception {
    Path pred = dir.resolve("pred.nii");
    Path ref = dir.resolve("ref.nii");
    NiftiWriter.write(pred, DemoMaps.make(16, 3).prediction());
    NiftiWriter.write(ref, DemoMaps.make(18, 3).reference());
    CliRunner.Result r = CliRunner.run("evaluate", "--pred", pred.toString(), "--ref", ref.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("expected the same grid, found 16 x 16 x 16 and 18 x 18 x 18"),
        r.err());
  }
}
