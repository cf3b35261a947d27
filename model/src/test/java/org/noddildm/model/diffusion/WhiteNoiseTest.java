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
import org.noddildm.model.Engines;

class WhiteNoiseTest {

  @Test
  void fullyNoisedLatentIsWhiteAndACleanOneIsNot() {
    GaussianDiffusion d = new GaussianDiffusion(NoiseSchedule.linear(), Prediction.EPSILON);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Shape s = new Shape(1, 8, 16, 16, 16); // a 64^3 subject's latent: 32768 values
      float[] smooth = new float[(int) s.size()];
      for (int i = 0; i < smooth.length; i++) {
        smooth[i] = (float) Math.sin(i * 0.05); // strongly correlated along W
      }
      NDArray x0 = m.create(smooth, s);
      NDArray eps = Noise.gaussian(m, s, new SplittableRandom(1));
      WhiteNoise start = WhiteNoise.check(eps.toFloatArray(), 32, WhiteNoise.DEFAULT_THRESHOLD);
      assertTrue(start.white(), "sampler start: " + start);
      assertEquals(0, start.mean(), 0.02);
      assertEquals(1, start.variance(), 0.03);
      WhiteNoise end = WhiteNoise.check(d.qSample(x0, new int[] {999}, eps).toFloatArray(), 32,
          WhiteNoise.DEFAULT_THRESHOLD);
      assertTrue(end.white(), "x_999: " + end);
      WhiteNoise early = WhiteNoise.check(d.qSample(x0, new int[] {50}, eps).toFloatArray(), 32,
          WhiteNoise.DEFAULT_THRESHOLD);
      assertFalse(early.white(), "x_50 still carries the structure: " + early);
    }
  }
}
