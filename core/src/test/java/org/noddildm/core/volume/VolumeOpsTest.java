package org.noddildm.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.testing.TestVolumes;

class VolumeOpsTest {
  private static Volume linear(Grid g, int nt) {
    Volume v = Volume.zeros(g, nt);
    for (int t = 0; t < nt; t++) {
      for (int z = 0; z < g.nz(); z++) {
        for (int y = 0; y < g.ny(); y++) {
          for (int x = 0; x < g.nx(); x++) {
            double[] w = g.affine().apply(x, y, z);
            v.set(x, y, z, t, (float) (0.5 * w[0] - 0.25 * w[1] + 0.125 * w[2] + t));
          }
        }
      }
    }
    return v;
  }

  @Test
  void blockAverageKeepsTheFieldOfViewAndAveragesBlocks() {
    Grid g = new Grid(8, 6, 4, TestVolumes.obliqueAffine());
    Volume v = linear(g, 2);
    Volume d = VolumeOps.downsample(v, 2);
    assertEquals(4, d.nx());
    assertEquals(2, d.nt());
    // The centre of low-res voxel (1, 2, 1) is the mean of the centres of its 8 source voxels.
    double[] c = d.grid().affine().apply(1, 2, 1);
    double[] mean = new double[3];
    float avg = 0;
    for (int dz = 0; dz < 2; dz++) {
      for (int dy = 0; dy < 2; dy++) {
        for (int dx = 0; dx < 2; dx++) {
          double[] w = g.affine().apply(2 + dx, 4 + dy, 2 + dz);
          for (int r = 0; r < 3; r++) {
            mean[r] += w[r] / 8;
          }
          avg += v.get(2 + dx, 4 + dy, 2 + dz, 1) / 8;
        }
      }
    }
    assertArrayEquals(mean, c, 1e-9);
    assertEquals(avg, d.get(1, 2, 1, 1), 1e-4);
    double[] sizes = d.grid().voxelSizes();
    assertArrayEquals(new double[] {2.5, 3.0, 4.0}, sizes, 1e-9);
  }

  @Test
  void upsampledGridInvertsDownsampledGrid() {
    Grid g = new Grid(8, 6, 4, TestVolumes.obliqueAffine());
    for (int f = 1; f <= 3; f++) {
      if (8 % f == 0 && 6 % f == 0 && 4 % f == 0) {
        assertTrue(VolumeOps.upsampledGrid(VolumeOps.downsampledGrid(g, f), f).sameAs(g));
      }
    }
  }

  @Test
  void downsamplingNeedsDivisibleDimensions() {
    Grid g = Grid.of(5, 4, 4, 1);
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> VolumeOps.downsample(Volume.zeros(g, 1), 2));
    assertTrue(e.getMessage().contains("5 x 4 x 4"), e.getMessage());
  }

  @Test
  void trilinearResamplingIsExactForALinearFunction() {
    Grid src = new Grid(10, 8, 8, TestVolumes.obliqueAffine());
    Volume v = linear(src, 2);
    Grid low = VolumeOps.downsampledGrid(src, 2);
    Volume lowV = linear(low, 2);
    Volume up = VolumeOps.resampleTrilinear(lowV, src, Float.NaN);
    int checked = 0;
    // Interior voxels (between low-res voxel centres) are reproduced exactly.
    for (int z = 1; z < 7; z++) {
      for (int y = 1; y < 7; y++) {
        for (int x = 1; x < 9; x++) {
          for (int t = 0; t < 2; t++) {
            assertEquals(v.get(x, y, z, t), up.get(x, y, z, t), 1e-3);
            checked++;
          }
        }
      }
    }
    assertTrue(checked > 500);
  }

  @Test
  void resamplingOutsideTheSourceGivesTheFillValue() {
    Grid src = Grid.of(4, 4, 4, 1);
    Volume v = linear(src, 1);
    double[][] a = src.affine().toArray();
    a[0][3] = 100;
    Volume out = VolumeOps.resampleTrilinear(v, new Grid(2, 2, 2, Affine.of(a)), -1f);
    for (float f : out.data()) {
      assertEquals(-1f, f);
    }
  }

  @Test
  void cropAndPadKeepWorldPositions() {
    Grid g = new Grid(6, 6, 6, TestVolumes.obliqueAffine());
    Volume v = linear(g, 1);
    Volume c = VolumeOps.cropOrPad(v, -2, 1, 3, 10, 4, 5, 0f);
    assertEquals(10, c.nx());
    assertEquals(v.get(0, 1, 3), c.get(2, 0, 0));
    assertEquals(0f, c.get(0, 0, 0));
    assertArrayEquals(g.affine().apply(0, 1, 3), c.grid().affine().apply(2, 0, 0), 1e-9);
  }

  @Test
  void stackAndExtractVolumesRoundTrip() {
    Grid g = Grid.of(3, 3, 3, 2);
    Volume a = linear(g, 2);
    Volume b = linear(g, 1);
    Volume s = Volume.stack(a, b);
    assertEquals(3, s.nt());
    assertArrayEquals(b.data(), s.volume(2).data());
    assertArrayEquals(a.volume(1).data(), s.volumes(1).data());
    assertThrows(BadArgumentException.class, () -> Volume.stack(a, linear(Grid.of(3, 3, 2, 2),
        1)));
  }

  @Test
  void affineInverseAndAxisCodes() {
    Affine a = TestVolumes.obliqueAffine();
    assertTrue(a.times(a.inverse()).approxEquals(Affine.identity(), 1e-12));
    assertEquals("RAS", Affine.scaling(1, 1, 1).axisCodes());
    assertEquals("LAS", Affine.scaling(-1, 1, 1).axisCodes());
    assertEquals("LPS", Affine.scaling(-1, -1, 1).axisCodes());
    Affine permuted = Affine.of(new double[][] {{0, 0, -1, 0}, {1, 0, 0, 0}, {0, -1, 0, 0}});
    assertEquals("AIL", permuted.axisCodes());
  }
}
