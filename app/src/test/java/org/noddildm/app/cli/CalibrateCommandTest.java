package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.bundle.ShippedModel;

@Tag("slow")
class CalibrateCommandTest {
  @Test
  void aCalibratedModelWritesAnIntervalAroundItsMaps(@TempDir Path tmp) throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    Path data = tmp.resolve("cal");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "32",
        "--voxel", "2.5", "--subjects", "2", "--seed", "31", "--no-progress").exitCode());
    Path model = tmp.resolve("calibrated");
    CliRunner.Result c = CliRunner.run("calibrate", "--data", data.toString(), "--out",
        model.toString(), "--samples", "2", "--ddim-steps", "2", "--no-progress");
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(c.out().contains("90% interval = point +- c sd"), c.out());
    JsonObject cal = JsonParser.parseString(Files.readString(model.resolve("calibration.json")))
        .getAsJsonObject();
    double ndiWm = cal.getAsJsonArray("scale").get(0).getAsJsonArray().get(1).getAsDouble();
    assertTrue(ndiWm > 0 && Double.isFinite(ndiWm), cal.toString());
    assertTrue(Files.readString(model.resolve("files.txt")).contains("calibration.json"));
    assertTrue(cal.get("data").getAsString().endsWith("(DDIM 2, 2 samples), error model"
        + " cross-fitted on two folds of subjects"), cal.toString());
    // the sd has its own scale and is made of the fitted error model
    assertEquals("noddi-calibration/2", cal.get("format").getAsString());
    assertEquals(3, cal.getAsJsonArray("sdScale").size());
    assertEquals(6, cal.getAsJsonObject("errorModel").getAsJsonArray("weights").get(2)
        .getAsJsonArray().size());
    // and one sample's deviation from the posterior mean has a fitted scale per map
    assertEquals(3, cal.getAsJsonArray("sampleScale").size());
    double lambda = cal.getAsJsonArray("sampleScale").get(0).getAsDouble();
    assertTrue(lambda > 0 && Double.isFinite(lambda), cal.toString());
    // fitted only where an estimate exists: the true brain inside the mask the maps were
    // predicted in (FWF counts every such voxel once, in one of the three classes)
    long fwfVoxels = 0;
    for (var k : cal.getAsJsonArray("count").get(2).getAsJsonArray()) {
      fwfVoxels += k.getAsLong();
    }
    long estimated = 0;
    long trueBrain = 0;
    for (String s : new String[] {"sub-0001", "sub-0002"}) {
      Path d = data.resolve(s);
      String pre = tmp.resolve("masked/" + s).toString();
      assertEquals(0, CliRunner.run("predict", "--dwi", d.resolve("dwi_lowres.nii.gz")
          .toString(), "--mask", d.resolve("mask_lowres.nii.gz").toString(), "--out", pre,
          "--no-progress").exitCode());
      Volume truth = NiftiReader.read(d.resolve("mask.nii.gz")).volume();
      Volume predicted = NiftiReader.read(Path.of(pre + "_mask.nii.gz")).volume();
      for (int i = 0; i < truth.data().length; i++) {
        trueBrain += truth.data()[i] > 0.5f ? 1 : 0;
        estimated += truth.data()[i] > 0.5f && predicted.data()[i] > 0.5f ? 1 : 0;
      }
    }
    assertTrue(estimated < trueBrain, "the scan's mask leaves a rim of the true brain out: "
        + estimated + " of " + trueBrain);
    assertEquals(estimated, fwfVoxels, "FWF calibrated where an estimate exists");
    // the sampling options reach the samples: with DDPM-like noise the scales are others
    Path eta = tmp.resolve("eta");
    assertEquals(0, CliRunner.run("calibrate", "--data", data.toString(), "--out",
        eta.toString(), "--samples", "2", "--ddim-steps", "2", "--eta", "1", "--no-progress")
        .exitCode());
    JsonObject calEta = JsonParser.parseString(Files.readString(eta.resolve("calibration.json")))
        .getAsJsonObject();
    assertTrue(calEta.get("data").getAsString().contains("(DDIM 2, 2 samples, eta 1.0)"),
        calEta.toString());
    assertNotEquals(cal.get("scale").toString(), calEta.get("scale").toString());

    Path sub = data.resolve("sub-0001");
    String prefix = tmp.resolve("pred/s1").toString();
    CliRunner.Result p = CliRunner.run("predict", "--model", model.toString(), "--dwi",
        sub.resolve("dwi_lowres.nii.gz").toString(), "--method", "ldm", "--ddim-steps", "2",
        "--samples", "2", "--out", prefix, "--no-progress");
    assertEquals(0, p.exitCode(), p.err());
    Volume maps = NiftiReader.read(Path.of(prefix + "_noddi.nii.gz")).volume();
    Volume lo = NiftiReader.read(Path.of(prefix + "_noddi_lower.nii.gz")).volume();
    Volume hi = NiftiReader.read(Path.of(prefix + "_noddi_upper.nii.gz")).volume();
    int wider = 0;
    for (int i = 0; i < maps.data().length; i++) {
      assertTrue(lo.data()[i] <= maps.data()[i] + 1e-6 && maps.data()[i] <= hi.data()[i] + 1e-6,
          "voxel " + i);
      wider += hi.data()[i] > lo.data()[i] ? 1 : 0;
    }
    assertTrue(wider > 1000, "non-empty intervals: " + wider);
    String sidecar = Files.readString(Path.of(prefix + "_prediction.json"));
    assertTrue(sidecar.contains("calibrated on"), sidecar);
    assertTrue(sidecar.contains("w fitted to the log abs error"), sidecar);
    // one sample is written with its deviation from the posterior mean scaled
    String one = tmp.resolve("pred/one").toString();
    CliRunner.Result q = CliRunner.run("predict", "--model", model.toString(), "--dwi",
        sub.resolve("dwi_lowres.nii.gz").toString(), "--method", "ldm", "--ddim-steps", "2",
        "--samples", "1", "--out", one, "--no-progress");
    assertEquals(0, q.exitCode(), q.err());
    assertTrue(Files.readString(Path.of(one + "_prediction.json")).contains("its deviation"
        + " from the posterior mean scaled by"), one);
  }

  @Test
  void refusesBenchmarkSeeds(@TempDir Path tmp) {
    Path data = tmp.resolve("bench");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "16",
        "--voxel", "4", "--subjects", "1", "--seed", "9100", "--no-progress").exitCode());
    CliRunner.Result c = CliRunner.run("calibrate", "--data", data.toString(), "--out",
        tmp.resolve("m").toString(), "--no-progress");
    assertEquals(1, c.exitCode());
    assertTrue(c.err().contains("expected calibration subjects made with a seed below 9000,"
        + " found seed 9100"), c.err());
  }
}
