package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.noddildm.model.Engines;

class GaussianDiffusionTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = Engines.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void qSampleHasTheMeanAndVarianceOfTheForwardProcess() {
    NoiseSchedule s = NoiseSchedule.linear();
    GaussianDiffusion d = new GaussianDiffusion(s, Prediction.EPSILON);
    int[] t = {0, 100, 500, 999};
    int n = 32 * 32 * 32;
    try (NDManager m = manager.newSubManager()) {
      NDArray x0 = m.full(new Shape(4, 1, 32, 32, 32), 0.7f);
      NDArray noise = GaussianNoise.gaussian(m, x0.getShape(), new SplittableRandom(5));
      float[] xt = d.qSample(x0, t, noise).toFloatArray();
      for (int b = 0; b < 4; b++) {
        double sum = 0;
        double sq = 0;
        for (int i = b * n; i < (b + 1) * n; i++) {
          sum += xt[i];
          sq += (double) xt[i] * xt[i];
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        double wantVar = 1 - s.alphaCumprod(t[b]);
        // 5 standard errors of the mean and of the variance of a Gaussian
        assertEquals(0.7 * s.sqrtAlphaCumprod(t[b]), mean, 5 * Math.sqrt(wantVar / n),
            "mean at t=" + t[b]);
        assertEquals(wantVar, var, 5 * wantVar * Math.sqrt(2.0 / n), "variance at t=" + t[b]);
      }
    }
  }

  @Test
  void estimatesFromTheTrueTargetRecoverNoiseAndCleanLatent() {
    for (Prediction p : Prediction.values()) {
      GaussianDiffusion d = new GaussianDiffusion(NoiseSchedule.cosine(1000, 0.008), p);
      try (NDManager m = manager.newSubManager()) {
        SplittableRandom r = new SplittableRandom(9);
        Shape shape = new Shape(1, 2, 4, 4, 4);
        NDArray x0 = GaussianNoise.gaussian(m, shape, r);
        NDArray eps = GaussianNoise.gaussian(m, shape, r);
        for (int t : new int[] {0, 10, 500, 900}) {
          NDArray xt = d.qSample(x0, new int[] {t}, eps);
          GaussianDiffusion.Estimate e = d.fromOutput(xt, t, d.target(x0, new int[] {t}, eps));
          assertArrayEquals(x0.toFloatArray(), e.x0().toFloatArray(), 2e-3f, p + " x0, t=" + t);
          assertArrayEquals(eps.toFloatArray(), e.eps().toFloatArray(), 2e-3f, p + " eps, t=" + t);
        }
      }
    }
  }

  @Test
  void lossIsZeroForAnOracleAndPositiveOtherwise() {
    GaussianDiffusion d = new GaussianDiffusion(NoiseSchedule.linear(), Prediction.EPSILON);
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom r = new SplittableRandom(2);
      NDArray x0 = GaussianNoise.gaussian(m, new Shape(2, 1, 4, 4, 4), r);
      NDArray noise = GaussianNoise.gaussian(m, x0.getShape(), r);
      int[] t = {3, 700};
      Denoiser oracle = (xt, ts, c, training) -> noise;
      Denoiser zero = (xt, ts, c, training) -> xt.zerosLike();
      assertEquals(0.0, d.loss(oracle, x0, null, t, noise).getFloat(), 0);
      float mse = noise.square().mean().getFloat();
      assertEquals(mse, d.loss(zero, x0, null, t, noise).getFloat(), 1e-6);
    }
  }
}
