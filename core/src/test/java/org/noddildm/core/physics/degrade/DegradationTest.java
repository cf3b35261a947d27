package org.noddildm.core.physics.degrade;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

class DegradationTest {
  private static final Grid HI = new Grid(16, 12, 8, Affine.of(new double[][] {
    {-1.25, 0, 0, 9}, {0, 1.25, 0, -7}, {0, 0, 1.25, -4}, {0, 0, 0, 1}}));

  @Test
  void lowResolutionVoxelCentresSitAtTheirBlockCentres() {
    Volume hi = Volume.zeros(HI, 1);
    for (boolean kspace : new boolean[] {false, true}) {
      Degradation d = new Degradation(2, kspace, Noise.NONE, 30, 1);
      Grid low = d.apply(hi, 1).grid();
      assertEquals(8, low.nx());
      assertArrayEquals(new double[] {2.5, 2.5, 2.5}, low.voxelSizes(), 1e-12);
      for (int[] v : new int[][] {{0, 0, 0}, {3, 5, 2}, {7, 5, 3}}) {
        double[] centre = new double[3];
        for (int dx = 0; dx < 2; dx++) {
          for (int dy = 0; dy < 2; dy++) {
            for (int dz = 0; dz < 2; dz++) {
              double[] w = HI.affine().apply(2 * v[0] + dx, 2 * v[1] + dy, 2 * v[2] + dz);
              for (int c = 0; c < 3; c++) {
                centre[c] += w[c] / 8;
              }
            }
          }
        }
        assertArrayEquals(centre, low.affine().apply(v[0], v[1], v[2]), 1e-9);
      }
      assertTrue(VolumeOps.upsampledGrid(low, 2).sameAs(HI));
    }
  }

  @Test
  void blockAverageOfLinearRampIsItsValueAtTheBlockCentre() {
    Volume hi = ramp(HI);
    Volume low = new Degradation(2, false, Noise.NONE, 30, 1).apply(hi, 1);
    assertEquals(ramp(2.5, 4.5, 2.5), low.get(1, 2, 1), 1e-4);
  }

  @Test
  void kspaceTruncationKeepsLowFrequenciesExactly() {
    // a cosine well inside the kept band is reproduced at the coarse voxel centres
    Volume hi = Volume.zeros(HI, 1);
    for (int z = 0; z < HI.nz(); z++) {
      for (int y = 0; y < HI.ny(); y++) {
        for (int x = 0; x < HI.nx(); x++) {
          hi.set(x, y, z, 0, (float) wave(x, y, z));
        }
      }
    }
    Volume low = KSpaceTruncation.downsample(hi, 2);
    for (int z = 0; z < low.nz(); z++) {
      for (int x = 0; x < low.nx(); x++) {
        assertEquals(wave(2 * x + 0.5, 2 * 3 + 0.5, 2 * z + 0.5), low.get(x, 3, z), 1e-4);
      }
    }
  }

  @Test
  void noiseOnBackgroundHasTheRequestedSigmaAndIsSeeded() {
    Grid g = Grid.of(32, 32, 32, 1);
    Volume zero = Volume.zeros(g, 2);
    Volume a = Degradation.addNoise(zero, Noise.RICIAN, 25, 9);
    Volume b = Degradation.addNoise(zero, Noise.RICIAN, 25, 9);
    assertArrayEquals(a.data(), b.data());
    // Rician with nu = 0 is Rayleigh: E[M^2] = 2 sigma^2
    double s2 = 0;
    for (float v : a.data()) {
      s2 += v * v;
    }
    assertEquals(2 * 25 * 25, s2 / a.data().length, 0.02 * 2 * 25 * 25);
  }

  @Test
  void realDwiIsCroppedToTheFactorSubsetAndDegraded() {
    Grid g = Grid.of(17, 16, 9, 1.5);
    GradientTable t = GradientTable.of(new double[] {0, 1000, 1000, 2000},
        new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    Volume dwi = Volume.zeros(g, 4);
    for (int i = 0; i < g.size(); i++) {
      for (int k = 0; k < 4; k++) {
        dwi.data()[i + k * g.size()] = 1000f / (1 + k);
      }
    }
    RealDwiDegrader.Result r = RealDwiDegrader.degrade(dwi, t, new int[] {0, 2, 3},
        new Degradation(2, false, Noise.NONE, 20, 3));
    assertEquals("8 x 8 x 4", r.dwi().grid().shape());
    assertEquals(3, r.dwi().nt());
    assertEquals("b0 x 1, b=1000 x 1, b=2000 x 1", r.table().summary());
    assertEquals(1000.0 / 3, r.dwi().get(2, 2, 2, 1), 1e-3);
    assertEquals(1000, r.s0Reference(), 1e-9);
    assertTrue(VolumeOps.upsampledGrid(r.dwi().grid(), 2).sameAs(
        VolumeOps.cropOrPad(dwi, 0, 0, 0, 16, 16, 8, 0).grid()));
  }

  private static double wave(double x, double y, double z) {
    return 3 + Math.cos(2 * Math.PI * 2 * x / 16 + 0.3) * Math.cos(2 * Math.PI * y / 12)
        + 0.5 * Math.sin(2 * Math.PI * z / 8);
  }

  private static Volume ramp(Grid g) {
    Volume v = Volume.zeros(g, 1);
    for (int z = 0; z < g.nz(); z++) {
      for (int y = 0; y < g.ny(); y++) {
        for (int x = 0; x < g.nx(); x++) {
          v.set(x, y, z, 0, (float) ramp(x, y, z));
        }
      }
    }
    return v;
  }

  private static double ramp(double x, double y, double z) {
    return 10 + 2 * x - 0.5 * y + 3 * z;
  }
}
