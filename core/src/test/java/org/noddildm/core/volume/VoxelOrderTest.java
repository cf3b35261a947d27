package org.noddildm.core.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.testing.ExternalTools;

class VoxelOrderTest {
  private static Volume random(Grid g, int nt, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] d = new float[g.size() * nt];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextDouble();
    }
    return new Volume(g, nt, d);
  }

  /** A PSR-ordered grid (axes permuted and flipped against LAS) with an offset origin. */
  private static Grid psr() {
    return new Grid(5, 6, 7, Affine.of(new double[][] {
        {0, 0, 2.0, -3}, {-1.5, 0, 0, 4}, {0, 2.5, 0, 1}}));
  }

  @Test
  void canonicalOrderKeepsEveryVoxelAtItsWorldPosition() {
    Volume v = random(psr(), 2, 1);
    VoxelOrder o = VoxelOrder.toCanonical(v.grid());
    assertEquals("PSR", o.sourceCodes());
    Volume c = o.toCanonical(v);
    assertEquals("LAS", c.grid().affine().axisCodes());
    Affine inv = v.grid().affine().inverse();
    for (int z = 0; z < c.nz(); z++) {
      for (int y = 0; y < c.ny(); y++) {
        for (int x = 0; x < c.nx(); x++) {
          double[] w = c.grid().affine().apply(x, y, z);
          double[] s = inv.apply(w[0], w[1], w[2]);
          int sx = (int) Math.round(s[0]);
          int sy = (int) Math.round(s[1]);
          int sz = (int) Math.round(s[2]);
          assertEquals(0, Math.abs(s[0] - sx) + Math.abs(s[1] - sy) + Math.abs(s[2] - sz),
              1e-9, "integer source voxel");
          for (int t = 0; t < 2; t++) {
            assertEquals(v.get(sx, sy, sz, t), c.get(x, y, z, t));
          }
        }
      }
    }
  }

  @Test
  void roundTripRestoresDataAndGrid() {
    Volume v = random(psr(), 3, 2);
    VoxelOrder o = VoxelOrder.toCanonical(v.grid());
    Volume back = o.fromCanonical(o.toCanonical(v), v.grid());
    assertArrayEquals(v.data(), back.data());
    assertTrue(back.grid().sameAs(v.grid()));
  }

  @Test
  void lasGridIsAlreadyCanonical() {
    Grid las = new Grid(4, 4, 4, Affine.of(new double[][] {
        {-2, 0, 0, 3}, {0, 2, 0, -3}, {0, 0, 2, -3}}));
    assertTrue(VoxelOrder.toCanonical(las).isIdentity());
    assertFalse(VoxelOrder.toCanonical(psr()).isIdentity());
  }

  @Test
  void upsampledGridGoesToTheUpsampledCanonicalGrid() {
    Grid lo = psr();
    VoxelOrder o = VoxelOrder.toCanonical(lo);
    Grid viaCanonical = VolumeOps.upsampledGrid(o.canonicalGrid(), 2);
    assertTrue(o.canonicalOf(VolumeOps.upsampledGrid(lo, 2)).sameAs(viaCanonical));
  }

  /**
   * The same scan stored by MRtrix in another voxel order, with its gradients re-exported in
   * FSL's convention, comes back to exactly the canonical data and the same b-vectors.
   */
  @Test
  void mrtrixReorderedScanGivesTheSameCanonicalScanAndGradients(@TempDir Path tmp)
      throws Exception {
    ExternalTools.requireCommand("mrconvert");
    Grid las = new Grid(6, 5, 4, Affine.of(new double[][] {
        {-2, 0, 0, 5}, {0, 2, 0, -4}, {0, 0, 2, -3}}));
    GradientTable t = Protocol.parse("0x1,1000x6,2000x6").table();
    Volume v = random(las, t.size(), 3);
    NiftiWriter.write(tmp.resolve("a.nii"), v);
    GradientIO.writeFsl(t, tmp.resolve("a.bval"), tmp.resolve("a.bvec"));
    for (String strides : new String[] {"1,2,3,4", "2,-1,3,4", "-3,1,-2,4"}) {
      ExternalTools.command("mrconvert", "-quiet", "-force", tmp.resolve("a.nii").toString(),
          "-fslgrad", tmp.resolve("a.bvec").toString(), tmp.resolve("a.bval").toString(),
          "-strides", strides, tmp.resolve("b.nii").toString(), "-export_grad_fsl",
          tmp.resolve("b.bvec").toString(), tmp.resolve("b.bval").toString());
      Volume b = NiftiReader.read(tmp.resolve("b.nii")).volume();
      GradientTable tb = GradientIO.readFsl(tmp.resolve("b.bval"), tmp.resolve("b.bvec"));
      VoxelOrder o = VoxelOrder.toCanonical(b.grid());
      assertFalse(o.isIdentity(), strides);
      Volume c = o.toCanonical(b);
      assertArrayEquals(v.data(), c.data(), "data, strides " + strides);
      assertTrue(c.grid().affine().approxEquals(las.affine(), 1e-4), "affine, " + strides);
      GradientTable tc = tb.inCanonicalOrder(o);
      for (int i = 0; i < t.size(); i++) {
        assertArrayEquals(t.bvec(i), tc.bvec(i), 1e-5, "bvec " + i + ", strides " + strides);
      }
    }
  }
}
