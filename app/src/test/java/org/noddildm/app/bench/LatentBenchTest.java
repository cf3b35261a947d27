package org.noddildm.app.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.model.bundle.ShippedModel;

class LatentBenchTest {
  @Test
  void theSubVoxelLatentsOracleIsTheTruthAndTheVqgansIsNot(@TempDir Path tmp)
      throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    Path data = tmp.resolve("d");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "32",
        "--voxel", "2.5", "--subjects", "1", "--seed", "41", "--no-progress").exitCode());
    CliRunner.Result sub = CliRunner.run("dev", "bench", "latent", "--data", data.toString(),
        "--subject", "sub-0001");
    assertEquals(0, sub.exitCode(), sub.err());
    assertTrue(sub.out().contains("latent: subvoxel, factor 2, 24 channels"), sub.out());
    for (String map : new String[] {"NDI", "ODI", "FWF"}) {
      String row = sub.out().lines().filter(l -> l.startsWith("| sub-0001 | " + map + " |"))
          .findFirst().orElseThrow();
      String[] c = row.split("\\|");
      // PSNR of the refiner, the oracle and D(E(t)), then their detail ratios: the oracle and
      // the reconstruction are the truth
      assertTrue(Double.parseDouble(c[4].trim()) > 100, row);
      assertTrue(Double.parseDouble(c[5].trim()) > 100, row);
      assertEquals("1.00", c[7].trim(), row);
      assertEquals("1.00", c[8].trim(), row);
      assertTrue(Double.parseDouble(c[3].trim()) < 60, "the refiner is not the truth: " + row);
    }
    // a NODDI VQ-GAN of one training step: any autoencoder short of the identity is lossy
    Path vq = tmp.resolve("vq");
    CliRunner.Result t = CliRunner.run("train-vqgan", "--data", data.toString(), "--target",
        "noddi", "--out", vq.toString(), "--crop", "8", "--batch", "1", "--width", "4",
        "--down-factor", "2", "--steps", "1", "--validate-every", "0", "--seed", "2");
    assertEquals(0, t.exitCode(), t.err());
    CliRunner.Result v = CliRunner.run("dev", "bench", "latent", "--data", data.toString(),
        "--subject", "sub-0001", "--vqgan-noddi", vq.toString());
    assertEquals(0, v.exitCode(), v.err());
    String ndi = v.out().lines().filter(l -> l.startsWith("| sub-0001 | NDI |")).findFirst()
        .orElseThrow();
    assertTrue(Double.parseDouble(ndi.split("\\|")[5].trim()) < 60,
        "the VQ-GAN's reconstruction is lossy: " + ndi);
  }
}
