package org.noddildm.model.residual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.ldm.LatentPair;
import org.noddildm.model.ldm.LdmConfig;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.unet.UnetConfig;
import org.noddildm.model.vqgan.Vqgan;
import org.noddildm.model.vqgan.VqganConfig;

class ResidualDiffusionTest {
  private static final Grid HI = Grid.of(20, 16, 12, 1.25); // not multiples of the latent's 8

  private static Volume randomMaps(long seed) {
    Volume v = Volume.zeros(HI, 3);
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < v.data().length; i++) {
      v.data()[i] = (float) (0.1 + 0.8 * r.nextDouble());
    }
    return v;
  }

  private static Unet3d net(NDManager m) {
    Unet3d net = new Unet3d(new UnetConfig(4, 4, 4, new int[] {1, 2}, 1, false, 2, 4, 1));
    net.initialize(m, 4);
    return net;
  }

  private static Vqgan vqgan(NDManager m) {
    Vqgan noddi = new Vqgan(VqganConfig.tiny(3));
    noddi.initialize(m, 8);
    return noddi;
  }

  @Test
  void aVanishingResidualReturnsTheRefinersMapsExactly() {
    // with a huge latent scale every sampled residual is ~0, so D(z_r + delta) - D(z_r) is ~0:
    // the autoencoder's own error must cancel, not show up in the maps
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = net(m);
      ResidualDiffusion gen = new ResidualDiffusion(new VqganLatent(vqgan(m)), net,
          new double[] {1e9}, 1.0,
          false, m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      Volume refined = randomMaps(3);
      ConditionalGenerator.Maps out = gen.generate(refined, null, null, new DdimSampler(d, 3, 0),
          2, 7, 4, 2, null, m);
      assertEquals(HI, out.mean().grid());
      for (int i = 0; i < refined.data().length; i++) {
        assertEquals(refined.data()[i], out.mean().data()[i], 1e-5, "voxel " + i);
        assertEquals(0, out.std().data()[i], 1e-5);
      }
    }
  }

  @Test
  void samplesMoveTheMapsAndTheSameSeedGivesTheSameMaps() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = net(m);
      ResidualDiffusion gen = new ResidualDiffusion(new VqganLatent(vqgan(m)), net,
          new double[] {1.0}, 1.0,
          false, m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      Volume refined = randomMaps(3);
      DdimSampler s = new DdimSampler(d, 3, 0);
      ConditionalGenerator.Maps a = gen.generate(refined, null, null, s, 2, 7, 4, 2, null, m);
      ConditionalGenerator.Maps b = gen.generate(refined, null, null, s, 2, 7, 4, 2, null, m);
      assertArrayEquals(a.mean().data(), b.mean().data());
      double moved = 0;
      double spread = 0;
      for (int i = 0; i < refined.data().length; i++) {
        float v = a.mean().data()[i];
        assertTrue(v >= 0 && v <= 1, "point estimate in [0, 1]: " + v);
        moved += Math.abs(v - refined.data()[i]);
        spread += a.std().data()[i];
      }
      assertTrue(moved > 0 && spread > 0, "moved " + moved + ", spread " + spread);
      int[] n = gen.latentSize(HI);
      // a latent of 6 x 4 x 4 (factor 4, padded to even sizes): two tiles along x, one along y, z;
      // the DDIM steps, the two samples batched (the posterior mean is their first step's x0)
      assertEquals(2L * s.timesteps().length, gen.totalSteps(HI, s, 4, 2),
          "tiles of 4 with overlap 2 on a latent of " + n[0] + " x " + n[1] + " x " + n[2]);
    }
  }

  @Test
  void aRefinerThatIsAlreadyRightLeavesNothingToLearn() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Volume maps = randomMaps(5);
      Volume w = Volume.zeros(Grid.of(10, 8, 6, 2.5), 3);
      ResidualLatents l = ResidualLatents.encode(List.of(new ResidualExample("s", maps, maps,
          null, w, 2)), new VqganLatent(vqgan(m)), 2, m, null, 0, false,
          ResidualExample.Target.BRAIN);
      LatentPair p = l.pairs().get(0);
      for (float v : p.x0()) {
        assertEquals(0f, v);
      }
      assertArrayEquals(new double[] {1.0}, l.latentScales(),
          "no spread to scale: the scale stays 1");
      assertEquals(6, p.w());
      assertEquals(4, p.h());
      assertEquals(4, p.d());
    }
  }

  @Test
  void theTargetsKeepTheRefinedValuesWhereTheTruthSaysNothingScored() {
    Volume truth = randomMaps(6);
    Volume refined = randomMaps(7);
    int n = HI.size();
    truth.data()[2 * n + 3] = 0.95f; // free water in voxel 3
    truth.data()[2 * n + 4] = 0.9f; // exactly at the threshold in voxel 4
    truth.data()[2 * n + 5] = 0.89f;
    for (int k = 0; k < 3; k++) {
      truth.data()[k * n + 6] = 0f; // voxel 6 is outside the true brain
    }
    truth.data()[7] = 0f; // voxel 7 has NDI 0 but is in the brain
    Volume w = Volume.zeros(Grid.of(10, 8, 6, 2.5), 3);
    ResidualExample e = new ResidualExample("s", refined, truth, null, w, 2);
    assertArrayEquals(truth.data(), e.target(ResidualExample.Target.TRUTH).data());
    Volume tissue = e.target(ResidualExample.Target.TISSUE);
    Volume brain = e.target(ResidualExample.Target.BRAIN);
    for (int i = 0; i < n; i++) {
      boolean water = truth.at(i, 2) >= 0.9f;
      boolean outside = i == 6;
      for (int k = 0; k < 3; k++) {
        float expected = k < 2 && water ? refined.at(i, k) : truth.at(i, k);
        assertEquals(expected, tissue.at(i, k), "tissue target, map " + k + " @" + i);
        assertEquals(outside ? refined.at(i, k) : expected, brain.at(i, k),
            "brain target, map " + k + " @" + i);
      }
    }
    assertEquals(refined.at(4, 0), tissue.at(4, 0), "0.9 counts as free water, as the scores do");
    assertEquals(truth.at(5, 0), tissue.at(5, 0));
    assertEquals(0f, brain.at(7, 0), "one map at 0 is not outside the brain");
    com.google.gson.JsonObject meta = new com.google.gson.JsonObject();
    assertEquals(ResidualExample.Target.TRUTH, ResidualExample.Target.of(meta), "none recorded");
    for (ResidualExample.Target t : ResidualExample.Target.values()) {
      meta.addProperty("target", t.meaning());
      assertEquals(t, ResidualExample.Target.of(meta));
    }
    meta.addProperty("target", "something else");
    assertThrows(BadArgumentException.class, () -> ResidualExample.Target.of(meta));
  }

  @Test
  void theSubVoxelLatentScalesEachMapsResidualToUnitSd() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Volume refined = randomMaps(8);
      Volume truth = refined.copy();
      SplittableRandom r = new SplittableRandom(9);
      int n = HI.size();
      double[] sd = {0.01, 0.05, 0.2};
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < n; i++) {
          truth.data()[k * n + i] += (float) (sd[k] * r.nextGaussian());
        }
      }
      Volume w = Volume.zeros(Grid.of(10, 8, 6, 2.5), 3);
      SubVoxelLatent coder = new SubVoxelLatent(2);
      ResidualLatents l = ResidualLatents.encode(List.of(new ResidualExample("s", refined, truth,
          null, w, 2)), coder, 2, m, null, 0, false, ResidualExample.Target.TRUTH);
      assertEquals(3, l.latentScales().length, "one scale per map");
      float[] x0 = l.pairs().get(0).x0();
      int per = x0.length / 3;
      for (int k = 0; k < 3; k++) {
        double mean = 0;
        double sq = 0;
        for (int i = k * per; i < (k + 1) * per; i++) {
          mean += x0[i];
          sq += x0[i] * x0[i];
        }
        mean /= per;
        assertEquals(1.0, Math.sqrt(sq / per - mean * mean), 1e-3, "map " + k + " has unit sd");
      }
      assertTrue(l.latentScales()[0] > 10 * l.latentScales()[2], "NDI's small residual is"
          + " scaled up most: " + java.util.Arrays.toString(l.latentScales()));
      assertArrayEquals(x0, ResidualLatents.applyScales(ResidualLatents.removeScales(x0,
          l.latentScales()), l.latentScales()), 1e-4f);
      com.google.gson.JsonObject meta = new com.google.gson.JsonObject();
      ResidualLatents.putScales(meta, l.latentScales());
      assertArrayEquals(l.latentScales(), ResidualLatents.scales(meta), 0.0);
      com.google.gson.JsonObject old = new com.google.gson.JsonObject();
      old.addProperty("latentScale", 12.5);
      assertArrayEquals(new double[] {12.5}, ResidualLatents.scales(old), 0.0,
          "a model from before per-map scales has one");
    }
  }

  /** Classic features on the latent grid before padding: HI over the tiny VQ-GAN's factor 4. */
  private static Volume features() {
    Volume f = Volume.zeros(Grid.of(5, 4, 3, 5.0), ClassicEstimate.CHANNELS);
    for (int i = 0; i < f.data().length; i++) {
      f.data()[i] = 1 + i;
    }
    return f;
  }

  @Test
  void theClassicConditionCarriesTheFeaturesAfterTheLatentZeroPaddedLikeTheMaps() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Volume maps = randomMaps(5);
      Volume w = Volume.zeros(Grid.of(10, 8, 6, 2.5), 3);
      Volume f = features();
      Vqgan noddi = vqgan(m);
      ResidualLatents l = ResidualLatents.encode(List.of(new ResidualExample("s", maps, maps, f,
          w, 2)), new VqganLatent(noddi), 2, m, null, 0, true,
          ResidualExample.Target.BRAIN);
      LatentPair p = l.pairs().get(0);
      assertEquals(4 + ClassicEstimate.CHANNELS, p.condChannels());
      int n = p.w() * p.h() * p.d(); // 6 x 4 x 4
      for (int c = 0; c < ClassicEstimate.CHANNELS; c++) {
        for (int z = 0; z < 4; z++) {
          for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
              float expected = x < 5 && z < 3 ? f.get(x, y, z, c) : 0f;
              assertEquals(expected, p.cond()[(4 + c) * n + (z * 4 + y) * 6 + x],
                  "feature " + c + " at " + x + "," + y + "," + z);
            }
          }
        }
      }
      // the latent part is E(r) scaled to unit sd, as without the features
      ResidualLatents plain = ResidualLatents.encode(List.of(new ResidualExample("s", maps, maps,
          f, w, 2)), new VqganLatent(noddi), 2, m, null, 0, false,
          ResidualExample.Target.BRAIN);
      assertArrayEquals(plain.pairs().get(0).cond(), java.util.Arrays.copyOf(p.cond(), 4 * n));
    }
  }

  @Test
  void aModelConditionedOnTheClassicFeaturesNeedsThemOnTheLatentGrid() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d net = new Unet3d(new UnetConfig(4, 4 + ClassicEstimate.CHANNELS, 4,
          new int[] {1, 2}, 1, false, 2, 4, 1));
      net.initialize(m, 4);
      ResidualDiffusion gen = new ResidualDiffusion(new VqganLatent(vqgan(m)), net,
          new double[] {1.0}, 1.0,
          true, m);
      assertTrue(gen.usesClassic());
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      DdimSampler s = new DdimSampler(d, 3, 0);
      Volume refined = randomMaps(3);
      ConditionalGenerator.Maps a = gen.generate(refined, features(), null, s, 2, 7, 4, 2, null, m);
      assertEquals(HI, a.mean().grid());
      var missing = assertThrows(BadArgumentException.class,
          () -> gen.generate(refined, null, null, s, 1, 7, 4, 2, null, m));
      assertTrue(missing.getMessage().contains("classic features, found none"),
          missing.getMessage());
      Volume wrong = Volume.zeros(Grid.of(10, 8, 6, 2.5), ClassicEstimate.CHANNELS);
      var e = assertThrows(BadArgumentException.class,
          () -> gen.generate(refined, wrong, null, s, 1, 7, 4, 2, null, m));
      assertTrue(e.getMessage().contains("refiner's factor must be the latent's"),
          e.getMessage());
      // a plain model refuses a U-Net that expects the features
      assertThrows(BadArgumentException.class,
          () -> new ResidualDiffusion(new VqganLatent(vqgan(m)), net, new double[] {1.0}, 1.0,
              false, m));
    }
  }

  @Test
  void theSubVoxelLatentIsLosslessAndSamplesAroundTheRefiner() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      SubVoxelLatent coder = new SubVoxelLatent(2);
      assertEquals(24, coder.channels(), "8 sub-voxels of each of the 3 maps");
      Volume maps = randomMaps(5);
      Volume z = coder.encode(maps, new int[] {12, 8, 6}, m); // padded past 10 x 8 x 6
      assertEquals(24, z.nt());
      assertEquals(12, z.nx());
      assertArrayEquals(maps.data(), coder.decode(z, HI, m), "E then D returns the maps");
      Unet3d net = new Unet3d(new UnetConfig(24, 24, 4, new int[] {1, 2}, 1, false, 2, 4, 1));
      net.initialize(m, 4);
      ResidualDiffusion gen = new ResidualDiffusion(coder, net, new double[] {1.0}, 1.0, false, m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      ConditionalGenerator.Maps a = gen.generate(maps, null, null, new DdimSampler(d, 2, 0), 2, 7,
          4, 2, null, m);
      assertEquals(HI, a.mean().grid());
      double spread = 0;
      for (float v : a.std().data()) {
        spread += v;
      }
      assertTrue(spread > 0, "the samples differ");
    }
  }

  @Test
  void withABrainOnlyItsTilesAreSampledAndTheMapsElsewhereAreTheRefiners() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      SubVoxelLatent coder = new SubVoxelLatent(2);
      Unet3d net = new Unet3d(new UnetConfig(24, 24, 4, new int[] {1, 2}, 1, false, 2, 4, 1));
      net.initialize(m, 4);
      ResidualDiffusion gen = new ResidualDiffusion(coder, net, new double[] {1.0}, 1.0, false, m);
      GaussianDiffusion d = LdmConfig.defaults(net.config()).diffusion();
      Volume maps = randomMaps(5);
      boolean[] inside = new boolean[HI.size()];
      for (int z = 0; z < 4; z++) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            inside[(z * HI.ny() + y) * HI.nx() + x] = true;
          }
        }
      }
      DdimSampler s = new DdimSampler(d, 2, 0);
      long[] last = new long[1];
      // the brain is latent voxels 0..1 per axis, its box with the margin 0..3: one tile of 4
      ConditionalGenerator.Maps a = gen.generate(maps, null, new Mask(HI, inside), s, 2, 7, 4,
          2, k -> last[0] = k, m);
      assertEquals(gen.totalSteps(HI, s, 4, 2), last[0], "progress ends at the total");
      int moved = 0;
      for (int c = 0; c < 3; c++) {
        for (int z = 0; z < HI.nz(); z++) {
          for (int y = 0; y < HI.ny(); y++) {
            for (int x = 0; x < HI.nx(); x++) {
              int i = c * HI.size() + (z * HI.ny() + y) * HI.nx() + x;
              if (x >= 8 || y >= 8 || z >= 8) {
                assertEquals(maps.data()[i], a.mean().data()[i], 0f, "outside the tile");
                assertEquals(0f, a.std().data()[i], 0f, "outside the tile");
              } else if (a.mean().data()[i] != maps.data()[i]) {
                moved++;
              }
            }
          }
        }
      }
      assertTrue(moved > 0, "the tile is sampled");
      assertThrows(BadArgumentException.class, () -> gen.generate(maps, null,
          new Mask(Grid.of(10, 8, 6, 2.5), new boolean[480]), s, 1, 7, 4, 2, null, m));
    }
  }

  @Test
  void aUnetOfOtherLatentWidthIsRefused() {
    try (NDManager m = Engines.newManager(Device.cpu())) {
      Unet3d wide = new Unet3d(new UnetConfig(8, 4, 4, new int[] {1, 2}, 1, false, 2, 4, 1));
      var e = assertThrows(BadArgumentException.class,
          () -> new ResidualDiffusion(new VqganLatent(vqgan(m)), wide, new double[] {1}, 1,
              false, m));
      assertTrue(e.getMessage().contains("expected 4 + 4"), e.getMessage());
    }
  }
}
