package org.noddildm.core.volume;

import org.noddildm.core.BadArgumentException;

/** Spatial operations on {@link Volume}s that keep the affine consistent with the voxels. */
public final class VolumeOps {
  private VolumeOps() {}

  /**
   * {@code v} without the last voxels of each axis that do not fill a block of {@code factor}
   * (kept voxels keep their world positions); {@code v} itself when nothing is cut.
   */
  public static Volume cropToMultiple(Volume v, int factor) {
    int sx = v.nx() / factor * factor;
    int sy = v.ny() / factor * factor;
    int sz = v.nz() / factor * factor;
    return sx == v.nx() && sy == v.ny() && sz == v.nz() ? v
        : cropOrPad(v, 0, 0, 0, sx, sy, sz, 0);
  }

  /**
   * Crops (or pads with {@code fill}, where the box runs outside) to the box that starts at voxel
   * (x0, y0, z0) and has size sx x sy x sz; the affine is shifted so every voxel keeps its world
   * position. Negative starts pad before the first voxel.
   */
  public static Volume cropOrPad(Volume v, int x0, int y0, int z0, int sx, int sy, int sz,
      float fill) {
    Grid g = v.grid();
    double[] origin = g.affine().apply(x0, y0, z0);
    double[][] a = g.affine().toArray();
    for (int r = 0; r < 3; r++) {
      a[r][3] = origin[r];
    }
    Grid out = new Grid(sx, sy, sz, Affine.of(a));
    float[] data = new float[out.size() * v.nt()];
    java.util.Arrays.fill(data, fill);
    for (int t = 0; t < v.nt(); t++) {
      for (int z = 0; z < sz; z++) {
        for (int y = 0; y < sy; y++) {
          for (int x = 0; x < sx; x++) {
            int xs = x + x0;
            int ys = y + y0;
            int zs = z + z0;
            if (g.contains(xs, ys, zs)) {
              data[out.index(x, y, z) + t * out.size()] = v.get(xs, ys, zs, t);
            }
          }
        }
      }
    }
    return new Volume(out, v.nt(), data);
  }

  /**
   * The grid that block-averaging by {@code factor} produces: each new voxel covers a block of
   * factor^3 old voxels, the voxel size grows by the factor and the new voxel centre sits at the
   * centre of its block, so the field of view is unchanged and the two images overlay.
   */
  public static Grid downsampledGrid(Grid g, int factor) {
    BadArgumentException.require(factor >= 1, "factor: expected >= 1, found " + factor);
    BadArgumentException.require(
        g.nx() % factor == 0 && g.ny() % factor == 0 && g.nz() % factor == 0,
        "downsampling: expected dimensions divisible by " + factor + ", found " + g.shape());
    double[][] a = g.affine().toArray();
    double half = (factor - 1) / 2.0;
    double[] centre = g.affine().apply(half, half, half);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        a[r][c] *= factor;
      }
      a[r][3] = centre[r];
    }
    return new Grid(g.nx() / factor, g.ny() / factor, g.nz() / factor, Affine.of(a));
  }

  /** Block-average downsampling by an integer factor per axis (every volume of a 4D image). */
  public static Volume downsample(Volume v, int factor) {
    Grid out = downsampledGrid(v.grid(), factor);
    float[] data = new float[out.size() * v.nt()];
    double norm = 1.0 / ((double) factor * factor * factor);
    Parallel.forEach(out.nz() * v.nt(), zt -> {
      int z = zt % out.nz();
      int t = zt / out.nz();
      for (int y = 0; y < out.ny(); y++) {
        for (int x = 0; x < out.nx(); x++) {
          double s = 0;
          for (int dz = 0; dz < factor; dz++) {
            for (int dy = 0; dy < factor; dy++) {
              for (int dx = 0; dx < factor; dx++) {
                s += v.get(x * factor + dx, y * factor + dy, z * factor + dz, t);
              }
            }
          }
          data[out.index(x, y, z) + t * out.size()] = (float) (s * norm);
        }
      }
    });
    return new Volume(out, v.nt(), data);
  }

  /**
   * Trilinear resampling of every volume onto {@code target}: each target voxel centre is mapped
   * to world space and back into the source's voxel space. Positions beyond the source's voxel
   * centres take the nearest edge value up to half a voxel out, and {@code outside} beyond that.
   */
  public static Volume resampleTrilinear(Volume v, Grid target, float outside) {
    Grid src = v.grid();
    Affine toSource = src.affine().inverse().times(target.affine());
    float[] data = new float[target.size() * v.nt()];
    int n = src.size();
    float[] in = v.data();
    Parallel.forEach(target.nz(), z -> {
      for (int y = 0; y < target.ny(); y++) {
        for (int x = 0; x < target.nx(); x++) {
          double[] p = toSource.apply(x, y, z);
          int o = target.index(x, y, z);
          if (p[0] < -0.5 || p[1] < -0.5 || p[2] < -0.5
              || p[0] > src.nx() - 0.5 || p[1] > src.ny() - 0.5 || p[2] > src.nz() - 0.5) {
            for (int t = 0; t < v.nt(); t++) {
              data[o + t * target.size()] = outside;
            }
            continue;
          }
          double px = clamp(p[0], src.nx() - 1);
          double py = clamp(p[1], src.ny() - 1);
          double pz = clamp(p[2], src.nz() - 1);
          int x0 = (int) Math.floor(px);
          int y0 = (int) Math.floor(py);
          int z0 = (int) Math.floor(pz);
          int x1 = Math.min(x0 + 1, src.nx() - 1);
          int y1 = Math.min(y0 + 1, src.ny() - 1);
          int z1 = Math.min(z0 + 1, src.nz() - 1);
          double fx = px - x0;
          double fy = py - y0;
          double fz = pz - z0;
          int i000 = src.index(x0, y0, z0);
          int i100 = src.index(x1, y0, z0);
          int i010 = src.index(x0, y1, z0);
          int i110 = src.index(x1, y1, z0);
          int i001 = src.index(x0, y0, z1);
          int i101 = src.index(x1, y0, z1);
          int i011 = src.index(x0, y1, z1);
          int i111 = src.index(x1, y1, z1);
          for (int t = 0; t < v.nt(); t++) {
            int b = t * n;
            double c00 = in[b + i000] * (1 - fx) + in[b + i100] * fx;
            double c10 = in[b + i010] * (1 - fx) + in[b + i110] * fx;
            double c01 = in[b + i001] * (1 - fx) + in[b + i101] * fx;
            double c11 = in[b + i011] * (1 - fx) + in[b + i111] * fx;
            double c0 = c00 * (1 - fy) + c10 * fy;
            double c1 = c01 * (1 - fy) + c11 * fy;
            data[o + t * target.size()] = (float) (c0 * (1 - fz) + c1 * fz);
          }
        }
      }
    });
    return new Volume(target, v.nt(), data);
  }

  private static double clamp(double p, int max) {
    return p < 0 ? 0 : Math.min(p, max);
  }

  /**
   * The grid {@code factor} times finer than {@code g} over the same field of view: the inverse
   * of {@link #downsampledGrid}, used to bring a low-resolution image back to its source grid.
   */
  public static Grid upsampledGrid(Grid g, int factor) {
    BadArgumentException.require(factor >= 1, "factor: expected >= 1, found " + factor);
    double[][] a = g.affine().toArray();
    double half = (factor - 1) / 2.0 / factor;
    double[] first = g.affine().apply(-half, -half, -half);
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        a[r][c] /= factor;
      }
      a[r][3] = first[r];
    }
    return new Grid(g.nx() * factor, g.ny() * factor, g.nz() * factor, Affine.of(a));
  }
}
