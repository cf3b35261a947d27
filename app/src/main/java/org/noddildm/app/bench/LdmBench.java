package org.noddildm.app.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.Denoiser;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.GaussianNoise;
import org.noddildm.model.ldm.LatentPair;
import org.noddildm.model.ldm.LdmConfig;
import org.noddildm.model.ldm.LdmTrainConfig;
import org.noddildm.model.ldm.LdmTrainer;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.unet.UnetConfig;

/**
 * Speed of the latent diffusion model with the default U-Net on random weights (time does not
 * depend on the weights): DDIM sampling of one latent of {@code size}^3 for 10, 50 and 100 steps
 * and training steps per second. Usage:
 * {@code LdmBench [size=16] [width=32] [channels=8] [trainSteps=20] [device=cpu]}.
 * A 64^3 subject with the VQ-GAN factor 4 has a 16^3 latent.
 */
public final class LdmBench {
  private LdmBench() {}

  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int width = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int ch = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int trainSteps = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    Device dev = Engines.device(args.length > 4 ? args[4] : "cpu");
    UnetConfig u = new UnetConfig(ch, ch, width, new int[] {1, 2}, 1, true, 8, 32, 1);
    LdmConfig cfg = LdmConfig.defaults(u);
    System.out.println("engine " + Engines.describe() + ", device " + dev + ", " + u);
    try (NDManager m = Engines.newManager(dev)) {
      Unet3d net = new Unet3d(u);
      net.initialize(m, size);
      GaussianDiffusion d = cfg.diffusion();
      Shape shape = new Shape(1, ch, size, size, size);
      for (int steps : new int[] {1, 10, 50, 100}) {
        try (NDManager sm = m.newSubManager()) {
          Denoiser den = Denoiser.of(net, new ParameterStore(sm, false));
          NDArray cond = GaussianNoise.gaussian(sm, shape, new SplittableRandom(1));
          long t0 = System.nanoTime();
          new DdimSampler(d, steps, 0).sample(den, cond, shape, new SplittableRandom(2), null)
              .toFloatArray();
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf(Locale.ROOT, "DDIM %3d steps, latent %d^3: %.2f s (%.3f s/step)%n",
              steps, size, s, s / steps);
        }
      }
    }
    List<LatentPair> data = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(3);
    int n = size * size * size;
    for (int i = 0; i < 2; i++) {
      float[] x = new float[ch * n];
      float[] c = new float[ch * n];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) r.nextGaussian();
        c[k] = (float) r.nextGaussian();
      }
      data.add(new LatentPair(x, ch, c, ch, size, size, size));
    }
    LdmTrainConfig tc = new LdmTrainConfig(trainSteps, 4, Math.min(8, size), 2e-4, 0.999, 1000);
    try (LdmTrainer t = new LdmTrainer(cfg, tc, dev)) {
      t.trainStep(data);
      long t0 = System.nanoTime();
      for (int i = 0; i < trainSteps; i++) {
        t.trainStep(data);
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "training: batch 4 x %d^3 latent crops: %.3f s/step%n",
          tc.crop(), s / trainSteps);
    }
  }
}
