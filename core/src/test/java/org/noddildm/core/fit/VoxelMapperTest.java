package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class VoxelMapperTest {
  private static final GradientTable TABLE = FitSimulation.shells(2, new double[] {1000},
      new int[] {12});

  /** 4 x 2 x 1 voxels: isotropic D = 1e-3 everywhere, then spoiled voxels. */
  private static Volume dwi() {
    Grid g = Grid.of(4, 2, 1, 2.0);
    int n = g.size();
    int nt = TABLE.size();
    float[] d = new float[n * nt];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < nt; t++) {
        d[i + t * n] = (float) (100 * Math.exp(-TABLE.bval(t) * 1e-3));
      }
    }
    d[1 + 5 * n] = Float.NaN; // voxel 1: NaN in one volume
    for (int t = 0; t < nt; t++) {
      d[2 + t * n] = 0; // voxel 2: all zero
    }
    d[3 + 7 * n] = Float.POSITIVE_INFINITY; // voxel 3: Inf
    return new Volume(g, nt, d);
  }

  @Test
  void fitsMaskedVoxelsAndFillsAndCountsTheRest() {
    Volume v = dwi();
    boolean[] in = {true, true, true, true, true, true, true, false};
    AtomicLong progress = new AtomicLong();
    for (VoxelMapper.Fill fill : VoxelMapper.Fill.values()) {
      progress.set(0);
      VoxelMapper.Result r = VoxelMapper.map(v, new Mask(v.grid(), in), TABLE.b0Indices(),
          new DtiModel(TABLE, DtiModel.Config.defaults()), fill, progress::addAndGet);
      VoxelMapper.Counts c = r.counts();
      assertEquals(8, c.voxels());
      assertEquals(1, c.outside());
      assertEquals(4, c.fitted());
      assertEquals(2, c.nonFinite());
      assertEquals(1, c.noSignal());
      assertEquals(0, c.failed());
      assertEquals(7, progress.get());
      Volume md = r.maps().get(1);
      Volume v1 = r.maps().get(5);
      assertEquals(3, v1.nt());
      for (int i : new int[] {0, 4, 5, 6}) {
        assertEquals(1e-3, md.at(i, 0), 1e-8);
      }
      for (int i : new int[] {1, 2, 3, 7}) {
        assertTrue(fill == VoxelMapper.Fill.NAN ? Float.isNaN(md.at(i, 0)) : md.at(i, 0) == 0,
            "voxel " + i + " holds " + md.at(i, 0));
        assertTrue(fill == VoxelMapper.Fill.NAN ? Float.isNaN(v1.at(i, 2)) : v1.at(i, 2) == 0);
      }
    }
  }

  @Test
  void countsVoxelsTheModelCannotFitAsFailed() {
    Volume v = dwi();
    VoxelModel refuses = new VoxelModel() {
      @Override
      public java.util.List<Output> outputs() {
        return java.util.List.of(new Output("x", 1, "nothing"));
      }

      @Override
      public VoxelFitter newFitter() {
        return (signal, out) -> false;
      }
    };
    VoxelMapper.Counts c = VoxelMapper.map(v, null, TABLE.b0Indices(), refuses,
        VoxelMapper.Fill.ZERO, null).counts();
    assertEquals(0, c.outside());
    assertEquals(5, c.failed());
    assertTrue(c.summary().contains("0 of 8 masked voxels fitted"), c.summary());
  }
}
