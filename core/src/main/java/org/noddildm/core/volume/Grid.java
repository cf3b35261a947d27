package org.noddildm.core.volume;

import org.noddildm.core.BadArgumentException;

/**
 * The spatial sampling of an image: its size in voxels and its voxel-to-world {@link Affine}.
 * Voxel (x, y, z) is stored at linear index {@code x + nx * (y + ny * z)}, the NIfTI order.
 *
 * @param nx voxels along the first axis
 * @param ny voxels along the second axis
 * @param nz voxels along the third axis
 * @param affine voxel-to-world transform in mm
 */
public record Grid(int nx, int ny, int nz, Affine affine) {
  public Grid {
    BadArgumentException.require(
        nx > 0 && ny > 0 && nz > 0,
        "grid: expected positive dimensions, found " + nx + " x " + ny + " x " + nz);
    BadArgumentException.require(
        (long) nx * ny * nz <= Integer.MAX_VALUE,
        "grid: expected at most 2^31 - 1 voxels per volume, found " + (long) nx * ny * nz);
    BadArgumentException.require(affine != null, "grid: expected an affine, found null");
  }

  /** A grid with isotropic voxels of {@code voxel} mm and the origin at voxel (0, 0, 0). */
  public static Grid of(int nx, int ny, int nz, double voxel) {
    return new Grid(nx, ny, nz, Affine.scaling(voxel, voxel, voxel));
  }

  /** Number of voxels in one 3D volume. */
  public int size() {
    return nx * ny * nz;
  }

  public int index(int x, int y, int z) {
    return x + nx * (y + ny * z);
  }

  public boolean contains(int x, int y, int z) {
    return x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz;
  }

  /** Voxel sizes in mm (column norms of the affine). */
  public double[] voxelSizes() {
    return affine.voxelSizes();
  }

  /** Same sampling as {@code other} in size and (within 1e-4 mm) affine. */
  public boolean sameAs(Grid other) {
    return sameSize(other) && affine.approxEquals(other.affine, 1e-4);
  }

  /** As many voxels as {@code other} along each axis, whatever the affines. */
  public boolean sameSize(Grid other) {
    return nx == other.nx && ny == other.ny && nz == other.nz;
  }

  /** "nx x ny x nz", for messages. */
  public String shape() {
    return nx + " x " + ny + " x " + nz;
  }

  /** The same grid with another affine. */
  public Grid withAffine(Affine a) {
    return new Grid(nx, ny, nz, a);
  }
}
