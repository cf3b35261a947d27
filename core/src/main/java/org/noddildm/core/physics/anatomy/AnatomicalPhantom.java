package org.noddildm.core.physics.anatomy;

import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.physics.phantom.PhantomArrays;
import org.noddildm.core.physics.phantom.PhantomConfig;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;

/**
 * Digital brain subjects with real anatomy: a template of Debian's {@code mricron-data}
 * (Colin27, or the held-out macaque INIA19 scaled to human size) processed once per process
 * into tissue fractions, fibre orientations and tracts ({@link AnatomyTemplate}), then per
 * subject rotated, scaled, mirrored, warped and given lesions and enlarged ventricles
 * ({@link SubjectPose}) and NODDI parameters ({@link TissueParameters}), and sampled onto the
 * requested grid at s^3 points per voxel ({@link AnatomyVoxel}).
 *
 * <p>The output has the form and conventions of {@code BrainPhantom}: the grid is stored LAS
 * with the world origin at its centre, fibre directions are in its voxel-axis frame (the frame
 * of FSL b-vectors), labels are {@code Tissue} values, and the mask holds the brain with its
 * rim of extra-cerebral CSF. A grid smaller than the brain is a crop at a random position over
 * the brain; a larger one holds the whole brain at a random offset.
 *
 * <p>INIA19 is held out: use it only to benchmark models on an anatomy they have never seen.
 */
public final class AnatomicalPhantom {
  /**
   * One subject and how it was made.
   *
   * @param phantom the maps, directions, labels, mask and S0
   * @param pose the drawn geometry (rotation, scale, flip, position, warp, lesions, ventricles)
   * @param source the template and its processing, for provenance
   */
  public record Subject(Anatomy anatomy, Phantom phantom, SubjectPose pose, String source) {
    /**
     * The template point (world mm; MNI for Colin27) of output voxel (x, y, z)'s centre, for
     * checks against atlas coordinates.
     */
    public double[] templatePoint(int x, int y, int z) {
      double[] q = subjectPoint(phantom.grid(), pose, x, y, z);
      double[] out = new double[3];
      pose.toTemplate(q, out, new double[3][3], new double[3][3]);
      return out;
    }
  }

  private AnatomicalPhantom() {}

  /** Subject {@code c.seed()} of {@code anatomy}; the same arguments give the same subject. */
  public static Subject generate(Anatomy anatomy, PhantomConfig c, Variation variation) {
    BadArgumentException.require(anatomy != Anatomy.PROCEDURAL,
        "anatomical phantom: expected colin27 or inia19, found procedural (use BrainPhantom)");
    AnatomyTemplate t = AnatomyTemplate.of(anatomy);
    Grid grid = c.lasGrid();
    double v = c.voxel();
    SplittableRandom root = new SplittableRandom(c.seed());
    SplittableRandom poseRnd = root.split();
    SplittableRandom warpRnd = root.split();
    SplittableRandom lesionRnd = root.split();
    SplittableRandom ventricleRnd = root.split();
    SplittableRandom paramRnd = root.split();
    SplittableRandom mixingRnd = root.split();
    SplittableRandom spreadRnd = root.split();
    double[] halfFov = {c.nx() * v / 2, c.ny() * v / 2, c.nz() * v / 2};
    SubjectPose pose = SubjectPose.draw(variation, t, halfFov, poseRnd, warpRnd, lesionRnd,
        ventricleRnd, mixingRnd);
    TissueParameters par = new TissueParameters(paramRnd, t.regions, spreadRnd,
        variation.parameterSpread());
    PhantomArrays out = new PhantomArrays(grid);
    int ss = c.supersample();
    double[] step = {-v, v, v}; // the LAS voxel axes in RAS
    Parallel.forEach(c.nz(), z -> {
      AnatomyVoxel vox = new AnatomyVoxel(t, pose, par, ss);
      for (int y = 0; y < c.ny(); y++) {
        for (int x = 0; x < c.nx(); x++) {
          if (!vox.compute(subjectPoint(grid, pose, x, y, z), step)) {
            continue;
          }
          out.set(grid.index(x, y, z), vox.ndi, vox.odi, vox.fwf, vox.dir, vox.label, vox.s0);
        }
      }
    });
    Phantom p = out.phantom(c.seed());
    return new Subject(anatomy, p, pose, t.source);
  }

  /**
   * Subject point (RAS mm from the brain centre) of output voxel (x, y, z): its voxel-axis
   * offset from the grid centre with x negated (LAS storage), plus the grid's offset.
   */
  static double[] subjectPoint(Grid g, SubjectPose pose, int x, int y, int z) {
    double v = g.voxelSizes()[0];
    double[] off = pose.offset();
    return new double[] {-(x - (g.nx() - 1) / 2.0) * v + off[0],
        (y - (g.ny() - 1) / 2.0) * v + off[1], (z - (g.nz() - 1) / 2.0) * v + off[2]};
  }
}
