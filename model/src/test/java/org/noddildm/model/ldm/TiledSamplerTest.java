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
      float[][] together = new TiledSampler(net, m).sampleTogether(c, 3, new TiledSampler(net, m)
          .tiling(N, 8, 2, null), 1, ddim, new SplittableRandom(5), null, m).samples();
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
      TiledSampler.Tiling tiling = t.tiling(N, 4, 2, null);
      float[][] three = t.sampleTogether(c, 3, tiling, 3, new DdimSampler(d, 3, 0.0),
          new SplittableRandom(9), k -> calls[0] = k, m).samples();
      assertEquals(3, three.length);
      assertEquals(t.steps(tiling, new DdimSampler(d, 3, 0.0)), calls[0],
          "progress counts batched calls");
      assertEquals(3 * 2 * 1 * 3, calls[0]);
      float[][] one = t.sampleTogether(c, 3, tiling, 1, new DdimSampler(d, 3, 0.0),
          new SplittableRandom(9), null, m).samples();
      assertClose(one[0], three[0], "the batch does not change a sample");
      assertFalse(java.util.Arrays.equals(three[0], three[1]), "other noise, other sample");
      float[][] again = t.sampleTogether(c, 3, tiling, 3, new DdimSampler(d, 3, 0.0),
          new SplittableRandom(9), null, m).samples();
      assertArrayEquals(three[2], again[2], 0f, "seeded");
      for (float v : three[1]) {
        assertTrue(Float.isFinite(v));
      }
      // one DDIM step from t = T - 1 ends at its own x0 estimates: their mean is the posterior
      // mean's; a longer walk from the same noise has the same first step
      TiledSampler.Draws jump = t.sampleTogether(c, 3, tiling, 2, new DdimSampler(d, 1, 0.0),
          new SplittableRandom(4), null, m);
      float[] mean = new float[jump.samples()[0].length];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = jump.samples()[0][i] / 2 + jump.samples()[1][i] / 2;
      }
      assertClose(mean, jump.meanX0AtStart(), "x0 at the first step");
      TiledSampler.Draws walk = t.sampleTogether(c, 3, tiling, 2, new DdimSampler(d, 3, 0.0),
          new SplittableRandom(4), null, m);
      assertClose(jump.meanX0AtStart(), walk.meanX0AtStart(), "the same first step");
    }
  }

  @Test
  void tilesCoverTheBrainsBoxWithTheAskedOverlapAndNoLargerThanAsked() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      TiledSampler t = new TiledSampler(net(m), m);
      int[] n = {40, 30, 20};
      boolean[] brain = new boolean[n[0] * n[1] * n[2]];
      // a brain in x 10..31, y 4..23, z 6..13, and one stray voxel far off in the corner
      for (int z = 6; z < 14; z++) {
        for (int y = 4; y < 24; y++) {
          for (int x = 10; x < 32; x++) {
            brain[(z * n[1] + y) * n[0] + x] = true;
          }
        }
      }
      TiledSampler.Tiling whole = t.tiling(n, 12, 4, null);
      // the whole latent: 40 = 5 tiles of at most 12 overlapping by >= 4; 30 = 4; 20 = 2
      assertEquals(5 * 4 * 2, whole.origins().size());
      assertCovers(whole, null, 4);
      TiledSampler.Tiling box = t.tiling(n, 12, 4, brain);
      // the box widened by the margin: x 8..33 (26: 3 tiles), y 2..25 (24: 3), z 4..15 (12: 1)
      assertEquals(3 * 3, box.origins().size());
      assertCovers(box, brain, 4);
      brain[0] = true;
      TiledSampler.Tiling stray = t.tiling(n, 12, 4, brain);
      assertTrue(stray.origins().size() < whole.origins().size(),
          "tiles without brain are left out");
      assertCovers(stray, brain, 4);
      assertEquals(0, t.tiling(n, 12, 4, new boolean[brain.length]).origins().size(),
          "no brain, no tiles");
    }
  }

  /** Every flagged voxel (all with null) is in a tile; sizes are within the asked ones. */
  private static void assertCovers(TiledSampler.Tiling tiling, boolean[] brain, int overlap) {
    int[] n = tiling.n();
    int[] size = tiling.size();
    for (int a = 0; a < 3; a++) {
      assertTrue(size[a] <= 12 && size[a] % 2 == 0, "size " + size[a]);
    }
    boolean[] covered = new boolean[n[0] * n[1] * n[2]];
    for (int[] o : tiling.origins()) {
      for (int z = o[2]; z < o[2] + size[2]; z++) {
        for (int y = o[1]; y < o[1] + size[1]; y++) {
          for (int x = o[0]; x < o[0] + size[0]; x++) {
            covered[(z * n[1] + y) * n[0] + x] = true;
          }
        }
      }
    }
    for (int a = 0; a < 3; a++) {
      final int axis = a;
      int[] starts = tiling.origins().stream().mapToInt(o -> o[axis]).distinct().sorted()
          .toArray();
      for (int i = 1; i < starts.length; i++) {
        assertTrue(starts[i] - starts[i - 1] <= size[a] - overlap,
            "neighbours overlap by >= " + overlap + " on axis " + a);
      }
    }
    for (int i = 0; i < covered.length; i++) {
      assertTrue(covered[i] || (brain != null && !brain[i]), "voxel " + i + " not covered");
    }
  }

  @Test
  void whatNoTileCoversEndsTheWalkAtZero() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = net(m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      TiledSampler t = new TiledSampler(net, m);
      boolean[] brain = new boolean[N[0] * N[1] * N[2]];
      brain[(1 * N[1] + 1) * N[0] + 1] = true; // x 1, y 1, z 1: the box is x, y, z 0..3
      TiledSampler.Tiling tiling = t.tiling(N, 4, 2, brain);
      assertEquals(1, tiling.origins().size());
      float[] x = t.sampleTogether(cond(3), 3, tiling, 1, new DdimSampler(d, 3, 0.0),
          new SplittableRandom(9), null, m).samples()[0];
      int mv = N[0] * N[1] * N[2];
      for (int c = 0; c < 2; c++) {
        for (int z = 0; z < N[2]; z++) {
          for (int y = 0; y < N[1]; y++) {
            for (int xx = 0; xx < N[0]; xx++) {
              float v = x[c * mv + (z * N[1] + y) * N[0] + xx];
              boolean inside = xx < 4 && y < 4 && z < 4;
              assertTrue(inside ? v != 0f && Float.isFinite(v) : v == 0f,
                  "x " + xx + " y " + y + " z " + z + ": " + v);
            }
          }
        }
      }
    }
  }
}
