package org.noddildm.model.ldm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.unet.UnetConfig;
import org.noddildm.model.vqgan.Vqgan;
import org.noddildm.model.vqgan.VqganConfig;

class ConditionalGeneratorTest {

  @Test
  void generatesMapsOnTheHighResGridWithMeanAndSpread() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Vqgan noddi = new Vqgan(VqganConfig.tiny(3));
      noddi.initialize(m, 8);
      Vqgan dwi = new Vqgan(VqganConfig.tiny(5));
      dwi.initialize(m, 8);
      Unet3d net = new Unet3d(new UnetConfig(4, 4, 4, new int[] {1, 2}, 1, false, 2, 4, 1));
      net.initialize(m, 4);
      Grid hi = Grid.of(16, 16, 16, 1.25);
      Volume scan = Volume.zeros(hi, 5); // shell features on the high-res grid
      SplittableRandom r = new SplittableRandom(4);
      for (int i = 0; i < scan.data().length; i++) {
        scan.data()[i] = (float) r.nextDouble();
      }
      ConditionalGenerator gen = new ConditionalGenerator(noddi, dwi, net, 2.0, 0.5, m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      ConditionalGenerator.Maps a = gen.generate(scan, hi, new DdimSampler(d, 3, 0), 2, 7, null,
          m);
      assertEquals(hi, a.mean().grid());
      assertEquals(3, a.mean().nt());
      assertEquals(2, a.samples());
      double spread = 0;
      for (int i = 0; i < a.mean().data().length; i++) {
        float v = a.mean().data()[i];
        assertTrue(v >= 0 && v <= 1, "mean map in [0, 1]: " + v);
        assertTrue(a.std().data()[i] >= 0);
        spread += a.std().data()[i];
      }
      assertTrue(spread > 0, "two samples from different noise differ");
      ConditionalGenerator.Maps b = gen.generate(scan, hi, new DdimSampler(d, 3, 0), 2, 7, null,
          m);
      assertArrayEquals(a.mean().data(), b.mean().data(), 0f, "seeded");
      BadArgumentException e = assertThrows(BadArgumentException.class,
          () -> new ConditionalGenerator(noddi, dwi, new Unet3d(new UnetConfig(8, 4, 4,
              new int[] {1}, 1, false, 2, 4, 1)), 1, 1, m));
      assertTrue(e.getMessage().contains("expected 4 + 4 latent channels"), e.getMessage());
    }
  }

  @Test
  void tilesALatentLargerThanOneTileAndCoversEveryStep() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Vqgan noddi = new Vqgan(VqganConfig.tiny(3));
      noddi.initialize(m, 8);
      Vqgan dwi = new Vqgan(VqganConfig.tiny(5));
      dwi.initialize(m, 8);
      Unet3d net = new Unet3d(new UnetConfig(4, 4, 4, new int[] {1, 2}, 1, false, 2, 4, 1));
      net.initialize(m, 4);
      Grid hi = Grid.of(38, 22, 16, 1.25); // not a multiple of 8: padded and cropped back
      Volume scan = Volume.zeros(hi, 5);
      SplittableRandom r = new SplittableRandom(5);
      for (int i = 0; i < scan.data().length; i++) {
        scan.data()[i] = (float) r.nextDouble();
      }
      ConditionalGenerator gen = new ConditionalGenerator(noddi, dwi, net, 2.0, 0.5, m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      DdimSampler s = new DdimSampler(d, 2, 0);
      long total = gen.totalSteps(hi, s, 4, 2); // latent 10 x 6 x 4: 4 x 2 x 1 tiles
      assertEquals(4 * 2 * 1 * 2, total);
      int[] last = {0};
      ConditionalGenerator.Maps a = gen.generate(scan, hi, s, 1, 3, 4, 2, k -> last[0] = k, m);
      assertEquals(total, last[0], "progress reaches every step of every tile");
      assertEquals(hi, a.mean().grid());
      for (float v : a.mean().data()) {
        assertTrue(v >= 0 && v <= 1 && Float.isFinite(v), "mean map in [0, 1]: " + v);
      }
      for (float v : a.std().data()) {
        assertEquals(0f, v, "one sample has no spread");
      }
    }
  }

  @Test
  void blendingTheCropsOfAnArrayGivesItBack() {
    int[] n = {10, 6, 4};
    int[] size = {4, 4, 4};
    float[] a = new float[2 * 10 * 6 * 4];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    float[] acc = new float[a.length];
    float[] w = new float[a.length / 2];
    float[] ramp = org.noddildm.model.vqgan.TiledCoder.ramp(4, 2);
    float[][] ramps = {ramp, ramp, ramp};
    float[] ones = new float[4 * 4 * 4];
    java.util.Arrays.fill(ones, 1f);
    for (int z0 : org.noddildm.model.vqgan.TiledCoder.starts(4, 4, 2)) {
      for (int y0 : org.noddildm.model.vqgan.TiledCoder.starts(6, 4, 2)) {
        for (int x0 : org.noddildm.model.vqgan.TiledCoder.starts(10, 4, 2)) {
          int[] o = {x0, y0, z0};
          TiledSampler.blendInto(acc, TiledSampler.crop(a, 2, n, o, size), 0, 2, n, o, size,
              ramps);
          TiledSampler.blendInto(w, ones, 0, 1, n, o, size, ramps);
        }
      }
    }
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], acc[i] / w[i % w.length], 1e-5);
    }
  }
}
