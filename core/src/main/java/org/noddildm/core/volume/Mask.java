package org.noddildm.core.volume;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;

/** A binary brain (or tissue) mask on a {@link Grid}. Immutable. */
public final class Mask {
  private final Grid grid;
  private final boolean[] inside;
  private final int count;

  public Mask(Grid grid, boolean[] inside) {
    BadArgumentException.require(
        inside.length == grid.size(),
        "mask: expected " + grid.size() + " voxels for " + grid.shape() + ", found "
            + inside.length);
    this.grid = grid;
    this.inside = inside.clone();
    int c = 0;
    for (boolean b : inside) {
      if (b) {
        c++;
      }
    }
    this.count = c;
  }

  /** Every voxel inside. */
  public static Mask all(Grid grid) {
    boolean[] in = new boolean[grid.size()];
    Arrays.fill(in, true);
    return new Mask(grid, in);
  }

  /** Voxels of the 3D image {@code v} (volume 0) whose value is above {@code threshold}. */
  public static Mask above(Volume v, float threshold) {
    boolean[] in = new boolean[v.grid().size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = v.at(i, 0) > threshold;
    }
    return new Mask(v.grid(), in);
  }

  /** The voxels of this mask where volume {@code t} of {@code v} is below {@code threshold}. */
  public Mask whereBelow(Volume v, int t, float threshold) {
    BadArgumentException.require(v.grid().size() == grid.size(), "mask: expected a volume of "
        + grid.size() + " voxels, found " + v.grid().size());
    boolean[] in = new boolean[inside.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = inside[i] && v.at(i, t) < threshold;
    }
    return new Mask(grid, in);
  }

  /** The voxels inside both this mask and {@code other} (on a grid of the same size). */
  public Mask and(Mask other) {
    BadArgumentException.require(other.grid.sameSize(grid), "mask: expected " + grid.shape()
        + " voxels, found " + other.grid.shape());
    boolean[] in = new boolean[inside.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = inside[i] && other.inside[i];
    }
    return new Mask(grid, in);
  }

  public Grid grid() {
    return grid;
  }

  public boolean contains(int voxelIndex) {
    return inside[voxelIndex];
  }

  /** Number of voxels inside. */
  public int count() {
    return count;
  }

  /** Linear indices of the voxels inside, ascending. */
  public int[] indices() {
    int[] out = new int[count];
    int k = 0;
    for (int i = 0; i < inside.length; i++) {
      if (inside[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** The mask as a 0/1 float image, e.g. to write it as NIfTI. */
  public Volume toVolume() {
    float[] out = new float[inside.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = inside[i] ? 1f : 0f;
    }
    return Volume.of(grid, out);
  }

  /**
   * This mask (on a low-res grid) on the finer grid {@code hi} of the same field of view: the
   * voxels where its trilinear interpolation is above one half.
   */
  public Mask upsampledTo(Grid hi) {
    return above(VolumeOps.resampleTrilinear(toVolume(), hi, 0f), 0.5f);
  }

  /** A copy of {@code v} (on this mask's grid) with every volume set to 0 outside the mask. */
  public Volume applyTo(Volume v) {
    BadArgumentException.require(v.grid().size() == grid.size(), "mask: expected a volume of "
        + grid.size() + " voxels, found " + v.grid().size());
    float[] out = v.data().clone();
    int n = grid.size();
    for (int t = 0; t < v.nt(); t++) {
      for (int i = 0; i < n; i++) {
        if (!inside[i]) {
          out[t * n + i] = 0f;
        }
      }
    }
    return new Volume(v.grid(), v.nt(), out);
  }
}
