package org.noddildm.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.vqgan.VqganConfig;

@Tag("slow")
class TrainingTest {
  /** Smooth 2-channel test volume: blobs in 0..1. */
  static Volume blobs(int n, int channels, long seed) {
    Volume v = Volume.zeros(Grid.of(n, n, n, 1.0), channels);
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    double cx = n * (0.3 + 0.4 * r.nextDouble());
    double cy = n * (0.3 + 0.4 * r.nextDouble());
    double cz = n * (0.3 + 0.4 * r.nextDouble());
    for (int t = 0; t < channels; t++) {
      for (int z = 0; z < n; z++) {
        for (int y = 0; y < n; y++) {
          for (int x = 0; x < n; x++) {
            double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz);
            double s = n * (0.2 + 0.1 * t);
            v.set(x, y, z, t, (float) (0.1 + 0.8 * Math.exp(-d2 / (2 * s * s))));
          }
        }
      }
    }
    return v;
  }

  private static TrainConfig small(int steps) {
    return new TrainConfig(steps, 2, 8, 2e-3, 0.5, 0.9, 3, 0, 2, 8, 2);
  }

  @Test
  void resumedRunContinuesTheSameLossCurve(@TempDir Path dir) throws Exception {
    VqganConfig c = VqganConfig.tiny(2).withDiscStart(2);
    List<Volume> data = List.of(blobs(12, 2, 1), blobs(12, 2, 2));
    List<VqganLosses> straight = new ArrayList<>();
    try (VqganTrainer t = new VqganTrainer(c, small(6), Device.cpu())) {
      for (int i = 0; i < 6; i++) {
        straight.add(t.step(data));
      }
    }
    List<VqganLosses> resumed = new ArrayList<>();
    try (VqganTrainer t = new VqganTrainer(c, small(6), Device.cpu())) {
      for (int i = 0; i < 3; i++) {
        resumed.add(t.step(data));
      }
      Checkpoints.save(dir, t, new JsonObject(), List.of());
    } // the "kill": everything in memory is gone
    try (VqganTrainer t = Checkpoints.resume(dir, Device.cpu())) {
      assertEquals(3, t.step());
      for (int i = 0; i < 3; i++) {
        resumed.add(t.step(data));
      }
    }
    assertTrue(straight.get(5).disc() > 0, "the discriminator took part");
    for (int i = 0; i < 6; i++) {
      VqganLosses a = straight.get(i);
      VqganLosses b = resumed.get(i);
      assertEquals(a.rec(), b.rec(), 1e-6 * (1 + a.rec()), "rec at step " + (i + 1));
      assertEquals(a.vq(), b.vq(), 1e-6 * (1 + a.vq()), "vq at step " + (i + 1));
      assertEquals(a.disc(), b.disc(), 1e-5 * (1 + Math.abs(a.disc())), "disc at " + (i + 1));
      assertEquals(a.lambda(), b.lambda(), 1e-4 * (1 + a.lambda()), "lambda at " + (i + 1));
    }
    assertTrue(Files.isDirectory(dir.resolve("step-0000003")));
    assertEquals(3, Checkpoints.readJson(dir).get("step").getAsLong());
  }

  @Test
  void nativeArraysDoNotAccumulateOverSteps() {
    VqganConfig c = VqganConfig.tiny(2).withDiscStart(3);
    List<Volume> data = List.of(blobs(10, 2, 3));
    try (VqganTrainer t = new VqganTrainer(c, small(40), Device.cpu())) {
      for (int i = 0; i < 5; i++) {
        t.step(data);
      }
      int after5 = t.manager().getManagedArrays().size();
      for (int i = 0; i < 30; i++) {
        t.step(data);
      }
      assertEquals(after5, t.manager().getManagedArrays().size(),
          "arrays held by the model's manager after 5 and after 35 steps");
    }
  }

  @Test
  void tinyModelOverfitsOneSmallVolume() {
    VqganConfig c = new VqganConfig(2, 8, new int[] {1, 2}, 1, false, 2, 8, 64, 1, 0.25, 4,
        100000, 8, 2, 0.8, 0, 5);
    Volume v = blobs(16, 2, 7);
    TrainConfig tc = new TrainConfig(300, 1, 16, 3e-3, 0.9, 0.99, 1000, 0, 0, 16, 0);
    try (VqganTrainer t = new VqganTrainer(c, tc, Device.cpu())) {
      double before = t.validate(List.of(v)).psnr();
      for (int i = 0; i < tc.steps(); i++) {
        t.step(List.of(v));
      }
      VqganTrainer.Validation after = t.validate(List.of(v));
      assertTrue(after.psnr() > 28, "PSNR " + before + " -> " + after.psnr());
      assertTrue(after.ssim() > 0.8, "SSIM " + after.ssim());
    }
  }
}
