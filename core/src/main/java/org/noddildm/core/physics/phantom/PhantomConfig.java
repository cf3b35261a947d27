package org.noddildm.core.physics.phantom;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;

/**
 * Settings of the digital brain phantom.
 *
 * @param nx grid size along x, left to right (default 64)
 * @param ny grid size along y, posterior to anterior (default 64)
 * @param nz grid size along z, inferior to superior (default 64)
 * @param voxel isotropic voxel size in mm (default 1.25)
 * @param seed the subject: shape, folding, bundle paths and parameter fields all follow from it
 * @param supersample sub-voxel samples per axis for partial volume (default 2, i.e. 8 per voxel)
 */
public record PhantomConfig(int nx, int ny, int nz, double voxel, long seed, int supersample) {
  public PhantomConfig {
    BadArgumentException.require(nx >= 8 && ny >= 8 && nz >= 8 && nx <= 1024 && ny <= 1024
        && nz <= 1024, "phantom size: expected 8 to 1024 voxels per axis, found "
        + nx + " x " + ny + " x " + nz);
    BadArgumentException.require(voxel > 0 && voxel <= 20,
        "phantom voxel size: expected (0, 20] mm, found " + voxel);
    BadArgumentException.require(supersample >= 1 && supersample <= 5,
        "phantom supersampling: expected 1 to 5 per axis, found " + supersample);
  }

  /** A cubic n^3 grid of the given voxel size with 2 x 2 x 2 supersampling. */
  public static PhantomConfig cube(int n, double voxel, long seed) {
    return new PhantomConfig(n, n, n, voxel, seed, 2);
  }

  /**
   * The phantom's grid: stored LAS (x runs right to left, negative determinant, like FSL's
   * MNI152) with the world origin at the grid centre, so that its voxel-axis frame is the frame
   * of FSL b-vectors.
   */
  public Grid lasGrid() {
    return new Grid(nx, ny, nz, Affine.of(new double[][] {
      {-voxel, 0, 0, (nx - 1) / 2.0 * voxel},
      {0, voxel, 0, -(ny - 1) / 2.0 * voxel},
      {0, 0, voxel, -(nz - 1) / 2.0 * voxel},
      {0, 0, 0, 1}}));
  }

  /** The default subject: 64^3 at 1.25 mm. */
  public static PhantomConfig defaults(long seed) {
    return cube(64, 1.25, seed);
  }
}
