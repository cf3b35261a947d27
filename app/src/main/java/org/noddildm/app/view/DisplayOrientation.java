package org.noddildm.app.view;

import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * How a volume's voxel axes map onto the display axes R (left to right), A (posterior to
 * anterior) and S (inferior to superior), read from the affine: each voxel axis is assigned to
 * the world axis it runs closest to ({@link Affine#axisCodes()}, nibabel's {@code aff2axcodes}),
 * and flipped if it runs towards L, P or I. This is a reorientation to RAS by axis permutation
 * and flips only, as FSLeyes and MRtrix display an image; an oblique affine is shown along its
 * nearest axes without resampling.
 *
 * <p>Display indices {@code (r, a, s)} count voxels from the left, posterior and inferior ends.
 */
public final class DisplayOrientation {
  private final Grid grid;
  /** axisOf[w]: the voxel axis shown along world axis w (0 R, 1 A, 2 S). */
  private final int[] axisOf = new int[3];
  /** flip[w]: that voxel axis runs towards L, P or I. */
  private final boolean[] flip = new boolean[3];

  public DisplayOrientation(Grid grid) {
    this.grid = grid;
    String codes = grid.affine().axisCodes();
    for (int c = 0; c < 3; c++) {
      char code = codes.charAt(c);
      int w = "LR".indexOf(code) >= 0 ? 0 : "PA".indexOf(code) >= 0 ? 1 : 2;
      axisOf[w] = c;
      flip[w] = code == 'L' || code == 'P' || code == 'I';
    }
  }

  /** Voxels along display axis w (0 R, 1 A, 2 S). */
  public int size(int w) {
    return dims()[axisOf[w]];
  }

  /** Voxel size in mm along display axis w. */
  public double voxelMm(int w) {
    return grid.voxelSizes()[axisOf[w]];
  }

  /** Display index along w of the voxel coordinates {@code voxel}. */
  public int displayIndex(int w, int[] voxel) {
    int v = voxel[axisOf[w]];
    return flip[w] ? size(w) - 1 - v : v;
  }

  /** Value of volume {@code t} at display indices (r, a, s). */
  public float value(Volume v, int t, int r, int a, int s) {
    int[] d = {r, a, s};
    int[] vox = new int[3];
    for (int w = 0; w < 3; w++) {
      vox[axisOf[w]] = flip[w] ? size(w) - 1 - d[w] : d[w];
    }
    return v.get(vox[0], vox[1], vox[2], t);
  }

  private int[] dims() {
    return new int[] {grid.nx(), grid.ny(), grid.nz()};
  }
}
