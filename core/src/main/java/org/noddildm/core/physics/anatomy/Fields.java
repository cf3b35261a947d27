package org.noddildm.core.physics.anatomy;

import org.noddildm.core.metrics.SeparableFilter;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * Operations on 3D scalar fields stored as arrays in the NIfTI order ({@code x + nx (y + ny z)})
 * for the template processing: Gaussian and box smoothing (through {@link SeparableFilter}),
 * central-difference gradients, spherical dilation and nearest-neighbour atlas resampling.
 */
final class Fields {
  /** Gaussian kernels are cut at 3 sigma: the fields are smooth and time matters. */
  private static final double TRUNCATE = 3.0;

  private Fields() {}

  /** {@code f} smoothed by a Gaussian of {@code sigma} voxels. */
  static double[] gaussian(double[] f, int[] dims, double sigma) {
    return SeparableFilter.apply(f, dims, SeparableFilter.gaussianKernel(sigma, TRUNCATE));
  }

  /** The product {@code a * b} smoothed by a Gaussian of {@code sigma} voxels. */
  static double[] gaussianProduct(double[] a, double[] b, int[] dims, double sigma) {
    return SeparableFilter.apply(a, b, dims, SeparableFilter.gaussianKernel(sigma, TRUNCATE));
  }

  /** {@code f} averaged over cubes of {@code size} (odd) voxels. */
  static double[] box(double[] f, int[] dims, int size) {
    return SeparableFilter.apply(f, dims, SeparableFilter.boxKernel(size));
  }

  /** Central-difference gradient per voxel step (one-sided at the borders): {gx, gy, gz}. */
  static double[][] gradient(double[] f, int[] dims) {
    int nx = dims[0];
    int ny = dims[1];
    int nz = dims[2];
    double[][] g = new double[3][f.length];
    Parallel.forEach(nz, z -> {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          int i = x + nx * (y + ny * z);
          g[0][i] = diff(f, i, x, nx, 1);
          g[1][i] = diff(f, i, y, ny, nx);
          g[2][i] = diff(f, i, z, nz, nx * ny);
        }
      }
    });
    return g;
  }

  private static double diff(double[] f, int i, int c, int n, int stride) {
    if (n == 1) {
      return 0;
    }
    if (c == 0) {
      return f[i + stride] - f[i];
    }
    if (c == n - 1) {
      return f[i] - f[i - stride];
    }
    return 0.5 * (f[i + stride] - f[i - stride]);
  }

  /** {@code in} dilated by a ball of {@code radius} voxels. */
  static boolean[] dilate(boolean[] in, int[] dims, double radius) {
    int nx = dims[0];
    int ny = dims[1];
    int nz = dims[2];
    int r = (int) Math.floor(radius);
    int count = 0;
    int[][] offsets = new int[(2 * r + 1) * (2 * r + 1) * (2 * r + 1)][];
    for (int dz = -r; dz <= r; dz++) {
      for (int dy = -r; dy <= r; dy++) {
        for (int dx = -r; dx <= r; dx++) {
          if (dx * dx + dy * dy + dz * dz <= radius * radius) {
            offsets[count++] = new int[] {dx, dy, dz};
          }
        }
      }
    }
    int[][] ball = java.util.Arrays.copyOf(offsets, count);
    boolean[] out = new boolean[in.length];
    Parallel.forEach(nz, z -> {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          int i = x + nx * (y + ny * z);
          if (in[i]) {
            out[i] = true;
            continue;
          }
          for (int[] o : ball) {
            int xs = x + o[0];
            int ys = y + o[1];
            int zs = z + o[2];
            if (xs >= 0 && ys >= 0 && zs >= 0 && xs < nx && ys < ny && zs < nz
                && in[xs + nx * (ys + ny * zs)]) {
              out[i] = true;
              break;
            }
          }
        }
      }
    });
    return out;
  }

  /**
   * The labels of {@code atlas} at the voxel centres of {@code target}, by nearest neighbour
   * through both affines (world millimetres); 0 where the atlas does not reach.
   */
  static int[] labelsOn(Volume atlas, Grid target) {
    Grid src = atlas.grid();
    Affine toAtlas = src.affine().inverse().times(target.affine());
    int[] out = new int[target.size()];
    Parallel.forEach(target.nz(), z -> {
      for (int y = 0; y < target.ny(); y++) {
        for (int x = 0; x < target.nx(); x++) {
          double[] p = toAtlas.apply(x, y, z);
          int xs = (int) Math.round(p[0]);
          int ys = (int) Math.round(p[1]);
          int zs = (int) Math.round(p[2]);
          if (src.contains(xs, ys, zs)) {
            out[target.index(x, y, z)] = Math.round(atlas.get(xs, ys, zs));
          }
        }
      }
    });
    return out;
  }

  static double[] toDouble(float[] f) {
    double[] out = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      out[i] = f[i];
    }
    return out;
  }

  static double smoothstep(double a, double b, double x) {
    double t = Math.min(1, Math.max(0, (x - a) / (b - a)));
    return t * t * (3 - 2 * t);
  }
}
