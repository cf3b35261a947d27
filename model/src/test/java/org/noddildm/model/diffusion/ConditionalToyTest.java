package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.model.Engines;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.unet.UnetConfig;

/**
 * A tiny conditional model learns to follow its condition: the condition is a random pattern
 * of +-1 on a 4^3 latent grid and the clean latent is that pattern (a deterministic function of
 * the condition), so a model that ignores the condition can only output noise around 0.
 */
class ConditionalToyTest {
  private static final int N = 4;

  /** B conditions of +-1 per voxel, (B, 1, 4, 4, 4). */
  private static NDArray patterns(NDManager m, int b, SplittableRandom r) {
    float[] v = new float[b * N * N * N];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextBoolean() ? 1f : -1f;
    }
    return m.create(v, new Shape(b, 1, N, N, N));
  }

  private static double correlation(float[] a, int offA, float[] b, int offB, int n) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[offA + i];
      mb += b[offB + i];
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      double da = a[offA + i] - ma;
      double db = b[offB + i] - mb;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    return sab / Math.sqrt(saa * sbb + 1e-12);
  }

  @Test
  void tinyModelLearnsToFollowItsCondition() {
    try (NDManager manager = Engines.newManager(Device.cpu())) {
      GaussianDiffusion diffusion = new GaussianDiffusion(NoiseSchedule.cosine(100, 0.008),
          Prediction.EPSILON);
      UnetConfig cfg = new UnetConfig(1, 1, 8, new int[] {1}, 1, false, 2, 8, 3);
      Unet3d net = new Unet3d(cfg);
      net.initialize(manager, N);
      Unet3d shadow = new Unet3d(cfg);
      shadow.initialize(manager, N);
      Ema ema = new Ema(net, shadow, 0.9);
      TrainStep step = new TrainStep(net, diffusion, 1e-2, ema, manager);

      // a fixed evaluation batch: the same x_0, steps and noise before and after training
      SplittableRandom evalRng = new SplittableRandom(100);
      NDArray evalCond = patterns(manager, 32, evalRng);
      int[] evalT = GaussianNoise.uniformSteps(32, 100, evalRng);
      NDArray evalNoise = GaussianNoise.gaussian(manager, evalCond.getShape(), evalRng);
      double before = evalLoss(diffusion, net, evalCond, evalT, evalNoise);

      SplittableRandom rng = new SplittableRandom(1);
      for (int i = 0; i < 80; i++) {
        try (NDManager sm = manager.newSubManager()) {
          NDArray c = patterns(sm, 16, rng);
          step.run(c, c, rng); // x_0 = condition
        }
      }
      double after = evalLoss(diffusion, net, evalCond, evalT, evalNoise);
      assertTrue(after < 0.6 * before, "loss falls: " + before + " -> " + after);

      // sample with the EMA weights for 4 new conditions
      try (NDManager sm = manager.newSubManager()) {
        NDArray cond = patterns(sm, 4, new SplittableRandom(7));
        Denoiser d = Denoiser.of(shadow, new ParameterStore(sm, false));
        float[] x = new DdimSampler(diffusion, 10, 0.0).sample(d, cond, cond.getShape(),
            new SplittableRandom(3), null).toFloatArray();
        float[] c = cond.toFloatArray();
        int n = N * N * N;
        double own = 0;
        double other = 0;
        for (int b = 0; b < 4; b++) {
          own += correlation(x, b * n, c, b * n, n) / 4;
          other += correlation(x, b * n, c, ((b + 1) % 4) * n, n) / 4;
        }
        assertTrue(own > 0.5, "samples follow their own condition: r = " + own);
        assertTrue(own > Math.abs(other) + 0.3, "own r = " + own + ", other r = " + other);
      }
    }
  }

  private static double evalLoss(GaussianDiffusion diffusion, Unet3d net, NDArray cond, int[] t,
      NDArray noise) {
    try (NDManager sm = cond.getManager().newSubManager()) {
      Denoiser d = Denoiser.of(net, new ParameterStore(sm, false));
      NDArray c = cond.duplicate();
      c.attach(sm);
      NDArray eps = noise.duplicate();
      eps.attach(sm);
      return diffusion.loss(d, c, c, t, eps).getFloat();
    }
  }
}
