package org.noddildm.model.vqgan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.vqgan.VqganConfig;

class TiledCoderTest {
  @Test
  void tilesCoverTheAxisWithTheLastOneFlush() {
    assertArrayEquals(new int[] {0}, TiledCoder.starts(10, 16, 4));
    assertArrayEquals(new int[] {0, 12, 24}, TiledCoder.starts(40, 16, 4));
    assertArrayEquals(new int[] {0, 8, 16}, TiledCoder.starts(32, 16, 8));
    assertArrayEquals(new int[] {0, 4, 8, 12, 13}, TiledCoder.starts(21, 8, 4));
  }

  @Test
  void rampRisesOverTheOverlapAndIsOneInside() {
    float[] w = TiledCoder.ramp(8, 3);
    assertEquals(0.25f, w[0], 1e-6);
    assertEquals(1f, w[3], 0);
    assertEquals(1f, w[4], 0);
    assertEquals(0.25f, w[7], 1e-6);
  }

  @Test
  void blendingOverlappingTilesOfAPointwiseMapIsExact() {
    Volume v = random(21, 19, 17, 2);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      float[] out = TiledCoder.tiled(v, 8, 4, 1, 1, 1, 2, m, (ps, x) -> x.mul(2f));
      for (int i = 0; i < out.length; i++) {
        assertEquals(2 * v.data()[i], out[i], 1e-5, "voxel " + i);
      }
    }
  }

  @Test
  void encodeAndDecodeWorkOnTheCoarseAndFineGrids() {
    Engines.seed(4);
    Vqgan g = new Vqgan(VqganConfig.tiny(2));
    Volume v = random(18, 12, 9, 2);
    try (NDManager m = Engines.newManager(Device.cpu())) {
      g.initialize(m, 8);
      Volume z = TiledCoder.encode(g, m, v, 8, 4);
      assertEquals(4, z.nt());
      assertEquals("5 x 3 x 3", z.nx() + " x " + z.ny() + " x " + z.nz()); // 20 x 12 x 12 / 4
      Volume x = TiledCoder.decode(g, m, z, 2, 1);
      assertEquals(2, x.nt());
      assertEquals(20, x.nx());
      assertEquals(12, x.nz());
      assertEquals(v.grid().affine().apply(0, 0, 0)[0], x.grid().affine().apply(0, 0, 0)[0],
          1e-9, "same origin");
      Volume r = TiledCoder.reconstruct(g, m, v, 8, 4);
      assertEquals(v.data().length, r.data().length);
    }
  }

  private static Volume random(int nx, int ny, int nz, int nt) {
    Volume v = Volume.zeros(new Grid(nx, ny, nz, Grid.of(1, 1, 1, 1.5).affine()), nt);
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < v.data().length; i++) {
      v.data()[i] = (float) r.nextDouble();
    }
    return v;
  }
}
