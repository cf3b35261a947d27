package org.noddildm.app.bench;

import ai.djl.Device;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.train.VqganLosses;
import org.noddildm.model.train.TrainConfig;
import org.noddildm.model.train.VqganTrainer;
import org.noddildm.model.vqgan.VqganConfig;

/**
 * Training throughput of the VQ-GAN on random smooth volumes, and native memory over many steps.
 * Usage: {@code TrainBench [steps=50] [crop=32] [batch=2] [width=16] [device=cpu] [discStart=0]}.
 * Prints voxels per second (crop^3 x batch x steps / time) after a warm-up, and the resident
 * set size every tenth of the run.
 */
public final class TrainBench {
  private TrainBench() {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int crop = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int width = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    String device = args.length > 4 ? args[4] : "cpu";
    int discStart = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    VqganConfig d = VqganConfig.defaults(3);
    VqganConfig c = new VqganConfig(3, width, d.multipliers(), d.resBlocks(), d.attention(),
        d.downFactor(), d.latentDim(), d.codebookSize(), d.codeGroups(), d.beta(), d.maxGroups(),
        discStart, width, d.discLayers(), d.discWeight(), d.gradWeight(), 1);
    TrainConfig t = new TrainConfig(steps, batch, crop, 2e-4, 0.5, 0.9, 1000, 0, 200, 64, 16);
    Volume v = random(Math.max(48, crop), 3, 1);
    Device dev = Engines.device(device);
    System.out.println("engine " + Engines.describe() + ", device " + dev + ", threads "
        + System.getProperty("ai.djl.pytorch.num_threads") + ", " + c);
    try (VqganTrainer tr = new VqganTrainer(c, t, dev)) {
      for (int i = 0; i < 3; i++) {
        tr.step(List.of(v)); // warm-up
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        VqganLosses s = tr.step(List.of(v));
        if (i % Math.max(1, steps / 10) == 0) {
          System.out.printf(Locale.ROOT, "step %d %s rss %d MiB arrays %d%n", s.step(), s.brief(),
              rssMiB(), tr.manager().getManagedArrays().size());
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      double vox = (double) crop * crop * crop * batch * steps;
      System.out.printf(Locale.ROOT, "%d steps of %d x %d^3 in %.1f s: %.0f voxels/s, %.3f s/step,"
          + " rss %d MiB%n", steps, batch, crop, secs, vox / secs, secs / steps, rssMiB());
    }
  }

  private static Volume random(int n, int channels, long seed) {
    Volume v = Volume.zeros(Grid.of(n, n, n, 1.0), channels);
    SplittableRandom r = new SplittableRandom(seed);
    float[] data = v.data();
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) r.nextDouble();
    }
    return v;
  }

  private static long rssMiB() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(
          "/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
