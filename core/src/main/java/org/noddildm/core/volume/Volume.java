package org.noddildm.core.volume;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;

/**
 * A 3D or 4D image of floats on a {@link Grid}: {@code nt} volumes (1 for a 3D image) of
 * {@code grid.size()} voxels each, stored volume after volume in one array, x fastest:
 * {@code data[x + nx * (y + ny * (z + nz * t))]}.
 *
 * <p>The array is shared, not copied, so that large images are not held twice; callers that
 * keep a volume must not change the array behind its back.
 */
public final class Volume {
  private final Grid grid;
  private final int nt;
  private final float[] data;

  public Volume(Grid grid, int nt, float[] data) {
    BadArgumentException.require(nt > 0, "volume: expected at least 1 volume, found " + nt);
    long expected = (long) grid.size() * nt;
    BadArgumentException.require(
        data.length == expected,
        "volume: expected " + expected + " values for " + grid.shape() + " x " + nt
            + ", found " + data.length);
    this.grid = grid;
    this.nt = nt;
    this.data = data;
  }

  /** A zero-filled image. */
  public static Volume zeros(Grid grid, int nt) {
    long n = (long) grid.size() * nt;
    BadArgumentException.require(
        n <= Integer.MAX_VALUE - 8, "volume: expected at most 2^31 values, found " + n);
    return new Volume(grid, nt, new float[(int) n]);
  }

  /** A 3D image holding {@code data}. */
  public static Volume of(Grid grid, float[] data) {
    return new Volume(grid, 1, data);
  }

  public Grid grid() {
    return grid;
  }

  /** Number of volumes (the 4th dimension); 1 for a 3D image. */
  public int nt() {
    return nt;
  }

  public int nx() {
    return grid.nx();
  }

  public int ny() {
    return grid.ny();
  }

  public int nz() {
    return grid.nz();
  }

  /** The backing array, shared. */
  public float[] data() {
    return data;
  }

  public float get(int x, int y, int z, int t) {
    return data[grid.index(x, y, z) + t * grid.size()];
  }

  public float get(int x, int y, int z) {
    return get(x, y, z, 0);
  }

  public void set(int x, int y, int z, int t, float v) {
    data[grid.index(x, y, z) + t * grid.size()] = v;
  }

  /** Value of voxel index {@code i} (0..grid.size()-1) in volume {@code t}. */
  public float at(int i, int t) {
    return data[i + t * grid.size()];
  }

  /** A copy of volume {@code t} as a 3D image. */
  public Volume volume(int t) {
    BadArgumentException.require(
        t >= 0 && t < nt, "volume index: expected 0.." + (nt - 1) + ", found " + t);
    int n = grid.size();
    return new Volume(grid, 1, Arrays.copyOfRange(data, t * n, (t + 1) * n));
  }

  /** A copy of the chosen volumes, in the order given. */
  public Volume volumes(int... indices) {
    int n = grid.size();
    float[] out = new float[n * indices.length];
    for (int k = 0; k < indices.length; k++) {
      int t = indices[k];
      BadArgumentException.require(
          t >= 0 && t < nt, "volume index: expected 0.." + (nt - 1) + ", found " + t);
      System.arraycopy(data, t * n, out, k * n, n);
    }
    return new Volume(grid, indices.length, out);
  }

  /** The signal of one voxel across volumes, e.g. one DWI voxel's measurements. */
  public float[] series(int voxelIndex) {
    float[] out = new float[nt];
    int n = grid.size();
    for (int t = 0; t < nt; t++) {
      out[t] = data[voxelIndex + t * n];
    }
    return out;
  }

  /** Stacks images on the same grid along the 4th dimension. */
  public static Volume stack(Volume... parts) {
    BadArgumentException.require(parts.length > 0, "stack: expected at least one volume, found 0");
    Grid g = parts[0].grid;
    int total = 0;
    for (Volume v : parts) {
      BadArgumentException.require(
          v.grid.sameAs(g),
          "stack: expected volumes on grid " + g.shape() + ", found " + v.grid.shape()
              + " or a different affine");
      total += v.nt;
    }
    float[] out = new float[g.size() * total];
    int offset = 0;
    for (Volume v : parts) {
      System.arraycopy(v.data, 0, out, offset, v.data.length);
      offset += v.data.length;
    }
    return new Volume(g, total, out);
  }

  /** A copy with the same grid and an independent array. */
  public Volume copy() {
    return new Volume(grid, nt, data.clone());
  }

  /** Smallest and largest finite values; {NaN, NaN} when there is none. */
  public float[] finiteRange() {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (float v : data) {
      if (Float.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return lo > hi ? new float[] {Float.NaN, Float.NaN} : new float[] {lo, hi};
  }

  /** Number of NaN or infinite values. */
  public long countNonFinite() {
    long count = 0;
    for (float v : data) {
      if (!Float.isFinite(v)) {
        count++;
      }
    }
    return count;
  }

  /** "nx x ny x nz" or "nx x ny x nz x nt", for messages. */
  public String shape() {
    return nt == 1 ? grid.shape() : grid.shape() + " x " + nt;
  }

  /**
   * Where the first NaN or infinite value is, as "voxel (x, y, z) of volume t" (volumes from
   * 0), or null when every value is finite.
   */
  public String firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        int n = grid.size();
        int v = i % n;
        return "voxel (" + v % nx() + ", " + (v / nx()) % ny() + ", " + v / (nx() * ny())
            + ") of volume " + i / n;
      }
    }
    return null;
  }

  /** How many values (over all volumes) are NaN or infinite. */
  public long nonFiniteCount() {
    long n = 0;
    for (float f : data) {
      if (!Float.isFinite(f)) {
        n++;
      }
    }
    return n;
  }
}
