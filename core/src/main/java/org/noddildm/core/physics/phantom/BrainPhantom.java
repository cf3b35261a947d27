package org.noddildm.core.physics.phantom;

import java.util.SplittableRandom;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;

/**
 * Generates a digital brain phantom with known NODDI parameters from a seed: the tissue layout
 * of {@link BrainGeometry}, the fibre bundles of {@link FibreBundles}, and per-tissue NODDI
 * parameters with smooth spatial variation (values as reported for healthy adults by Zhang et
 * al. 2012 and Kodiweera et al. 2016):
 *
 * <pre>
 *   tissue        NDI         ODI                              FWF         S0 (b0)
 *   white matter  0.55-0.75   0.05-0.12 in bundles, ~0.2-0.3   0.01-0.05   1000
 *                             elsewhere, higher where bundles cross
 *   cortex        0.35-0.50   0.45-0.65                        0.05-0.12   1250
 *   deep GM       0.45-0.55   0.30-0.45                        0.03-0.08   1150
 *   CSF           0           0                                1           2500
 * </pre>
 *
 * Partial volume: each voxel is sampled at s^3 sub-voxel points; tissue fractions f_t mix the
 * parameters as the compartment model does: FWF = sum f_t FWF_t, and NDI, ODI are averages
 * weighted by each tissue's non-free-water share f_t (1 - FWF_t). Voxels less than half inside
 * the head are background. The grid is stored LAS (radiological, like FSL's MNI152 template:
 * x runs right to left, negative determinant) with the world origin at the grid centre, so that
 * the voxel-axis frame of the fibre directions is exactly the frame of FSL b-vectors.
 */
public final class BrainPhantom {
  private BrainPhantom() {}

  /** The phantom for the given configuration; the same config always gives the same phantom. */
  public static Phantom generate(PhantomConfig c) {
    SplittableRandom rnd = new SplittableRandom(c.seed());
    double[] centre = {0.02 * (rnd.nextDouble() - 0.5), 0.03 * (rnd.nextDouble() - 0.5),
        -0.03 + 0.03 * (rnd.nextDouble() - 0.5)};
    double[] axes = {0.66 + 0.05 * rnd.nextDouble(), 0.79 + 0.04 * rnd.nextDouble(),
        0.62 + 0.06 * rnd.nextDouble()};
    BrainGeometry geo = new BrainGeometry(rnd);
    FibreBundles bundles = new FibreBundles(rnd, geo);
    SmoothField[] f = new SmoothField[9];
    for (int k = 0; k < f.length; k++) {
      f[k] = new SmoothField(rnd, 12, 3.0);
    }
    double v = c.voxel();
    Grid grid = c.lasGrid();
    PhantomArrays out = new PhantomArrays(grid);
    double half = Math.min(c.nx(), Math.min(c.ny(), c.nz())) * v / 2;
    int ss = c.supersample();
    Parallel.forEach(c.nz(), z -> {
      PhantomVoxel vox = new PhantomVoxel(geo, bundles, f, axes, ss);
      for (int y = 0; y < c.ny(); y++) {
        for (int x = 0; x < c.nx(); x++) {
          // voxel-axis coordinates (mm from the grid centre): fibre directions come out in
          // the voxel-axis frame, the frame of FSL b-vectors
          double[] w = {(x - (c.nx() - 1) / 2.0) * v, (y - (c.ny() - 1) / 2.0) * v,
              (z - (c.nz() - 1) / 2.0) * v};
          double qx = (w[0] / half - centre[0]) / axes[0];
          double qy = (w[1] / half - centre[1]) / axes[1];
          double qz = (w[2] / half - centre[2]) / axes[2];
          double[] step = {v / half / axes[0], v / half / axes[1], v / half / axes[2]};
          if (!vox.compute(qx, qy, qz, step)) {
            continue;
          }
          out.set(grid.index(x, y, z), vox.ndi, vox.odi, vox.fwf, vox.dir, vox.label, vox.s0);
        }
      }
    });
    return out.phantom(c.seed());
  }
}
