package org.noddildm.model.ldm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.Denoiser;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.GaussianNoise;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.unet.UnetConfig;

class TiledSamplerTest {
  private static final int[] N = {8, 6, 4}; // x, y, z

  private static float[] cond(int cc) {
    float[] c = new float[cc * N[0] * N[1] * N[2]];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) r.nextGaussian();
    }
    return c;
  }

  /**
   * Equal to float rounding, relative to the largest value: the batch and the blending sum in
   * another order, and an untrained net's walk reaches values in the hundreds.
   */
  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    float max = 1;
    for (float v : expected) {
      max = Math.max(max, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5f * max, what + " @" + i);
    }
  }

  private static Unet3d net(NDManager m) {
    Unet3d net = new Unet3d(new UnetConfig(2, 3, 4, new int[] {1, 2}, 1, false, 2, 4, 1));
    net.initialize(m, 4);
    return net;
  }

  @Test
  void inOnePieceItIsTheSamplersOwnWalkFromTheSameNoise() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = net(m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      DdimSampler ddim = new DdimSampler(d, 4, 0.0);
      float[] c = cond(3);
      float[][] together = new TiledSampler(net, m).sampleTogether(c, 3, N, 1, ddim, 8, 2,
          new SplittableRandom(5), null, m);
      Shape shape = new Shape(1, 2, N[2], N[1], N[0]);
      NDArray xT = GaussianNoise.gaussian(m, shape, new SplittableRandom(5));
      float[] walk = ddim.sample(Denoiser.of(net, new ParameterStore(m, false)),
          m.create(c, new Shape(1, 3, N[2], N[1], N[0])), xT, new SplittableRandom(0), null)
          .toFloatArray();
      assertClose(walk, together[0], "one piece");
    }
  }

  @Test
  void samplesDrawnTogetherAreTheSamplesDrawnAloneAndDifferFromEachOther() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = net(m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      TiledSampler t = new TiledSampler(net, m);
      float[] c = cond(3);
      int[] calls = new int[1];
      // tiles of 4 overlapping by 2: 3 x 2 x 1 tiles, blended at each of the 3 steps
      float[][] three = t.sampleTogether(c, 3, N, 3, new DdimSampler(d, 3, 0.0), 4, 2,
          new SplittableRandom(9), k -> calls[0] = k, m);
      assertEquals(3, three.length);
      assertEquals(t.steps(N, new DdimSampler(d, 3, 0.0), 4, 2), calls[0],
          "progress counts batched calls");
      assertEquals(3 * 2 * 1 * 3, calls[0]);
      float[][] one = t.sampleTogether(c, 3, N, 1, new DdimSampler(d, 3, 0.0), 4, 2,
          new SplittableRandom(9), null, m);
      assertClose(one[0], three[0], "the batch does not change a sample");
      assertFalse(java.util.Arrays.equals(three[0], three[1]), "other noise, other sample");
      float[][] again = t.sampleTogether(c, 3, N, 3, new DdimSampler(d, 3, 0.0), 4, 2,
          new SplittableRandom(9), null, m);
      assertArrayEquals(three[2], again[2], 0f, "seeded");
      for (float v : three[1]) {
        assertTrue(Float.isFinite(v));
      }
    }
  }
}
