package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.Engines;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.unet.UnetConfig;

class SamplerTest {
  private static final NoiseSchedule LINEAR = NoiseSchedule.linear();
  private static final GaussianDiffusion DIFFUSION =
      new GaussianDiffusion(LINEAR, Prediction.EPSILON);
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = Engines.newManager(Device.cpu());
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /** One level, no attention: the cheapest real network, for tests of the sampling loop. */
  static UnetConfig smallest(int channels, int cond) {
    return new UnetConfig(channels, cond, 4, new int[] {1}, 1, false, 2, 4, 1);
  }

  /** The exact noise predictor when every voxel of x_0 is N(mu, s^2), independently. */
  static Denoiser gaussianOracle(NoiseSchedule sch, double mu, double s) {
    return (xt, t, cond, training) -> {
      double a = sch.alphaCumprod(Math.round(t.toFloatArray()[0]));
      double gain = Math.sqrt(a) * s * s / (a * s * s + 1 - a);
      NDArray x0 = xt.sub(Math.sqrt(a) * mu).mul(gain).add(mu); // E[x_0 | x_t]
      return xt.sub(x0.mul(Math.sqrt(a))).div(Math.sqrt(1 - a));
    };
  }

  private static double[] meanStd(float[] v) {
    double sum = 0;
    double sq = 0;
    for (float f : v) {
      sum += f;
      sq += (double) f * f;
    }
    double mean = sum / v.length;
    return new double[] {mean, Math.sqrt(sq / v.length - mean * mean)};
  }

  @Test
  void ddimVisitsEveryTenthStepFromTheNoisiestDown() {
    int[] ts = new DdimSampler(DIFFUSION).timesteps();
    assertEquals(100, ts.length);
    assertEquals(999, ts[0]);
    assertEquals(9, ts[99]);
    for (int i = 1; i < ts.length; i++) {
      assertEquals(10, ts[i - 1] - ts[i], "strictly descending by 10");
    }
    int[] all = new DdimSampler(DIFFUSION, 1000, 1).timesteps();
    assertArrayEquals(new DdpmSampler(DIFFUSION).timesteps(), all);
    assertEquals(0, all[999]);
    assertArrayEquals(new int[] {999, 665, 332}, DdimSampler.timesteps(1000, 3));
    assertThrows(BadArgumentException.class, () -> new DdimSampler(DIFFUSION, 0, 0));
    assertThrows(BadArgumentException.class, () -> new DdimSampler(DIFFUSION, 1001, 0));
    assertThrows(BadArgumentException.class, () -> new DdimSampler(DIFFUSION, 10, -1));
  }

  @Test
  void ddimWithEtaOneOverAllStepsTakesDdpmsPosteriorMeanAndVariance() {
    DdimSampler ddim = new DdimSampler(DIFFUSION, 1000, 1.0);
    DdpmSampler ddpm = new DdpmSampler(DIFFUSION);
    try (NDManager m = manager.newSubManager()) {
      SplittableRandom r = new SplittableRandom(4);
      Shape shape = new Shape(1, 2, 4, 4, 4);
      for (int t : new int[] {999, 500, 100, 10, 1}) {
        double sigma = ddim.sigma(t, t - 1);
        assertEquals(LINEAR.posteriorVariance(t), sigma * sigma, 1e-12 * sigma * sigma,
            "variance at t=" + t);
        NDArray xt = GaussianNoise.gaussian(m, shape, r);
        NDArray out = GaussianNoise.gaussian(m, shape, r);
        GaussianDiffusion.Estimate est = DIFFUSION.fromOutput(xt, t, out);
        // the same z in both: equal outputs mean equal means (and equal noise scales)
        float[] a = ddim.step(xt, est, t, t - 1, new SplittableRandom(t)).toFloatArray();
        float[] b = ddpm.step(xt, est, t, t - 1, new SplittableRandom(t)).toFloatArray();
        assertArrayEquals(b, a, 2e-5f, "x_{t-1} at t=" + t);
        // and without noise the mean alone agrees with Ho et al. eq. 11
        DdimSampler mean = new DdimSampler(DIFFUSION, 1000, 0.0);
        float[] ho = xt.sub(out.mul(LINEAR.beta(t) / LINEAR.sqrtOneMinusAlphaCumprod(t)))
            .div(Math.sqrt(LINEAR.alpha(t))).toFloatArray();
        float[] ddpmMean = new float[ho.length];
        float[] z = GaussianNoise.gaussian(m, shape, new SplittableRandom(t)).toFloatArray();
        for (int i = 0; i < ho.length; i++) {
          ddpmMean[i] = b[i] - (float) (sigma * z[i]);
        }
        assertArrayEquals(ho, ddpmMean, 2e-4f, "posterior mean at t=" + t);
        assertTrue(mean.sigma(t, t - 1) == 0);
      }
    }
  }

  @Test
  void samplersWalkDownToAPointMassWithAnOracle() {
    double c = 0.8;
    Denoiser oracle = gaussianOracle(LINEAR, c, 0.0);
    Sampler[] samplers = {new DdimSampler(DIFFUSION), new DdimSampler(DIFFUSION, 25, 1.0),
        new DdpmSampler(DIFFUSION)};
    for (Sampler s : samplers) {
      try (NDManager m = manager.newSubManager()) {
        NDArray cond = m.zeros(new Shape(1, 1, 4, 4, 4));
        float[] x = s.sample(oracle, cond, new Shape(1, 1, 4, 4, 4), new SplittableRandom(1),
            null).toFloatArray();
        for (float v : x) {
          assertEquals(c, v, 1e-4, s.getClass().getSimpleName());
        }
      }
    }
  }

  /**
   * For Gaussian data the DDIM update with the oracle is affine in x_T; returns the exact
   * {slope, offset} of the final sample, i.e. its std and mean, computed here in doubles.
   */
  private static double[] ddimAffine(int[] ts, double mu, double s) {
    double k = 1;
    double c = 0;
    for (int i = 0; i < ts.length; i++) {
      double a = LINEAR.alphaCumprod(ts[i]);
      double ap = i + 1 < ts.length ? LINEAR.alphaCumprod(ts[i + 1]) : 1.0;
      double g = Math.sqrt(a) * s * s / (a * s * s + 1 - a);
      double k0 = g * k;
      double c0 = mu + g * (c - Math.sqrt(a) * mu);
      double ke = (k - Math.sqrt(a) * k0) / Math.sqrt(1 - a);
      double ce = (c - Math.sqrt(a) * c0) / Math.sqrt(1 - a);
      k = Math.sqrt(ap) * k0 + Math.sqrt(1 - ap) * ke;
      c = Math.sqrt(ap) * c0 + Math.sqrt(1 - ap) * ce;
    }
    return new double[] {c, k};
  }

  @Test
  void samplersReproduceAGaussianDataDistributionWithAnOracle() {
    double mu = 0.5;
    double sd = 0.3;
    Denoiser oracle = gaussianOracle(LINEAR, mu, sd);
    Shape shape = new Shape(1, 1, 16, 16, 16);
    try (NDManager m = manager.newSubManager()) {
      NDArray cond = m.zeros(shape);
      // DDPM's small ancestral steps: the data distribution itself
      double[] ms = meanStd(new DdpmSampler(DIFFUSION).sample(oracle, cond, shape,
          new SplittableRandom(7), null).toFloatArray());
      assertEquals(mu, ms[0], 0.02, "DDPM mean");
      assertEquals(sd, ms[1], 0.02, "DDPM std");
      // DDIM (eta = 0) is a discretised ODE: with few steps it narrows the spread, exactly as
      // the closed-form recursion says (std 0.249 for 25 steps, 0.286 for 100, here)
      for (int steps : new int[] {25, 100}) {
        DdimSampler ddim = new DdimSampler(DIFFUSION, steps, 0.0);
        double[] want = ddimAffine(ddim.timesteps(), mu, sd);
        ms = meanStd(ddim.sample(oracle, cond, shape, new SplittableRandom(7), null)
            .toFloatArray());
        assertEquals(want[0], ms[0], 0.01, "DDIM " + steps + " mean");
        assertEquals(want[1], ms[1], 0.01, "DDIM " + steps + " std");
      }
      assertEquals(sd, ddimAffine(new DdimSampler(DIFFUSION, 1000, 0).timesteps(), mu, sd)[1],
          0.002, "the ODE limit is the data distribution");
    }
  }

  @Test
  void ddimWithEtaZeroIsDeterministicGivenTheStartingNoise() {
    Unet3d net = new Unet3d(smallest(2, 1));
    net.initialize(manager, 4);
    try (NDManager m = manager.newSubManager()) {
      Denoiser d = Denoiser.of(net, new ParameterStore(m, false));
      Shape shape = new Shape(1, 2, 4, 4, 4);
      NDArray cond = GaussianNoise.gaussian(m, new Shape(1, 1, 4, 4, 4), new SplittableRandom(3));
      NDArray xT = GaussianNoise.gaussian(m, shape, new SplittableRandom(8));
      DdimSampler det = new DdimSampler(DIFFUSION, 5, 0.0);
      float[] a = det.sample(d, cond, xT.duplicate(), new SplittableRandom(1), null).toFloatArray();
      float[] b = det.sample(d, cond, xT.duplicate(), new SplittableRandom(2), null).toFloatArray();
      assertArrayEquals(a, b, 0f, "eta = 0: the generator is not used after x_T");
      DdimSampler sto = new DdimSampler(DIFFUSION, 5, 1.0);
      float[] c = sto.sample(d, cond, xT.duplicate(), new SplittableRandom(1), null).toFloatArray();
      float[] e = sto.sample(d, cond, xT.duplicate(), new SplittableRandom(2), null).toFloatArray();
      assertFalse(Arrays.equals(c, e), "eta = 1 draws fresh noise");
      float[] c2 = sto.sample(d, cond, xT.duplicate(), new SplittableRandom(1), null)
          .toFloatArray();
      assertArrayEquals(c, c2, 0f, "same seed, same stochastic sample");
      int[] calls = {0};
      new DdimSampler(DIFFUSION, 3, 0).sample(d, cond, shape, new SplittableRandom(1),
          k -> calls[0] = k);
      assertEquals(3, calls[0], "progress reports every step");
    }
  }

  @Test
  void samplingLeavesOnlyItsResultInTheCallersManager() {
    Unet3d net = new Unet3d(smallest(1, 1));
    net.initialize(manager, 4);
    try (NDManager m = manager.newSubManager()) {
      Denoiser d = Denoiser.of(net, new ParameterStore(m, false));
      Shape shape = new Shape(1, 1, 4, 4, 4);
      NDArray cond = m.ones(shape);
      int before = m.getManagedArrays().size();
      new DdimSampler(DIFFUSION, 6, 1.0).sample(d, cond, shape, new SplittableRandom(1), null);
      assertEquals(before + 1, m.getManagedArrays().size(), "only the sample stays");
      new DdpmSampler(new GaussianDiffusion(NoiseSchedule.linear(6, 1e-2, 0.3),
          Prediction.EPSILON)).sample(d, cond, shape, new SplittableRandom(1), null);
      assertEquals(before + 2, m.getManagedArrays().size(), "only the sample stays");
    }
  }

  @Test
  void seededSamplesAreReproducibleAndSeedsDiffer() {
    NoiseSchedule shortSchedule = NoiseSchedule.linear(8, 1e-2, 0.5);
    GaussianDiffusion d = new GaussianDiffusion(shortSchedule, Prediction.V);
    Unet3d net = new Unet3d(smallest(1, 1));
    net.initialize(manager, 4);
    Shape shape = new Shape(1, 1, 4, 4, 4);
    for (Sampler s : new Sampler[] {new DdpmSampler(d), new DdimSampler(d, 4, 0.5)}) {
      try (NDManager m = manager.newSubManager()) {
        Denoiser den = Denoiser.of(net, new ParameterStore(m, false));
        NDArray cond = m.ones(shape);
        float[] a = s.sample(den, cond, shape, new SplittableRandom(5), null).toFloatArray();
        float[] b = s.sample(den, cond, shape, new SplittableRandom(5), null).toFloatArray();
        float[] c = s.sample(den, cond, shape, new SplittableRandom(6), null).toFloatArray();
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, c));
      }
    }
  }

  @Test
  void sampleSetGivesMeanAndSpreadOverSamples() {
    double mu = -0.2;
    double sd = 0.5;
    Shape shape = new Shape(1, 1, 4, 4, 4);
    try (NDManager m = manager.newSubManager()) {
      NDArray cond = m.zeros(shape);
      DdimSampler ddim = new DdimSampler(DIFFUSION, 20, 0.0);
      SampleSet set = SampleSet.draw(ddim, gaussianOracle(LINEAR, mu, sd), cond, shape, 64, 11,
          z -> z, null);
      double[] want = ddimAffine(ddim.timesteps(), mu, sd);
      double[] mean = meanStd(set.mean().toFloatArray());
      double[] std = meanStd(set.std().toFloatArray());
      assertEquals(64, set.count());
      assertEquals(want[0], mean[0], 0.02, "average of the per-voxel means");
      assertEquals(want[1], std[0], 0.02, "average of the per-voxel standard deviations");
      SampleSet again = SampleSet.draw(ddim, gaussianOracle(LINEAR, mu, sd), cond, shape, 64, 11,
          z -> z, null);
      assertArrayEquals(set.std().toFloatArray(), again.std().toFloatArray(), 0f);
      SampleSet one = SampleSet.draw(ddim,
          gaussianOracle(LINEAR, mu, sd), cond, shape, 1, 11, z -> z, null);
      assertEquals(0f, one.std().abs().max().getFloat(), 1e-6f);
    }
  }
}
