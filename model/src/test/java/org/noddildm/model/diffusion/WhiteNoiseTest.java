package org.noddildm.model.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.metrics.WhiteNoiseCheck;
import org.noddildm.model.Engines;

/** The write-up's white-noise check on the forward process and the sampler's start. */
class WhiteNoiseTest {

  @Test
  void fullyNoisedLatentIsWhiteAndAnEarlyOneIsNot() {
    GaussianDiffusion d = new GaussianDiffusion(NoiseSchedule.linear(), Prediction.EPSILON);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Shape s = new Shape(1, 8, 32, 32, 32); // 262144 values: the threshold suits n > 50 000
      float[] smooth = new float[(int) s.size()];
      for (int i = 0; i < smooth.length; i++) {
        smooth[i] = (float) Math.sin(i * 0.05); // strongly correlated along W
      }
      NDArray x0 = m.create(smooth, s);
      NDArray eps = GaussianNoise.gaussian(m, s, new SplittableRandom(1));
      double th = WhiteNoiseCheck.DEFAULT_THRESHOLD;
      WhiteNoiseCheck.Result start = WhiteNoiseCheck.check(eps.toFloatArray(), th);
      assertTrue(start.passes(), "sampler start: " + start);
      assertEquals(0, start.mean(), 0.01);
      assertEquals(1, start.variance(), 0.01);
      WhiteNoiseCheck.Result end = WhiteNoiseCheck.check(
          d.qSample(x0, new int[] {999}, eps).toFloatArray(), th);
      assertTrue(end.passes(), "x_999: " + end);
      WhiteNoiseCheck.Result early = WhiteNoiseCheck.check(
          d.qSample(x0, new int[] {50}, eps).toFloatArray(), th);
      assertFalse(early.passes(), "x_50 still carries the structure: " + early);
    }
  }
}
