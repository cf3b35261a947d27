package org.noddildm.core.physics.degrade;

import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * Downsampling as a scanner with a smaller acquisition matrix does it: keep only the central
 * M = N / factor spatial frequencies of each axis and reconstruct on the coarse grid. For a real
 * image this is, per axis, a real linear map (band-limited interpolation with the Dirichlet
 * kernel) evaluated at the coarse voxel centres x_m = m factor + (factor - 1) / 2, the block
 * centres of {@link VolumeOps#downsampledGrid}:
 *
 * <pre>
 *   L[m] = sum_n H[n] K(x_m - n),
 *   K(d) = (1/N) [1 + 2 sum_{k=1}^{ceil(M/2)-1} cos(2 pi k d / N) + (M even: cos(pi M d / N))]
 * </pre>
 *
 * (for even M the Nyquist frequency is shared between +-M/2). Sharp edges ring (Gibbs), as in
 * real low-resolution scans.
 */
public final class KSpaceTruncation {
  private KSpaceTruncation() {}

  /** The truncated-k-space image of every volume on the block-downsampled grid. */
  public static Volume downsample(Volume v, int factor) {
    Grid out = VolumeOps.downsampledGrid(v.grid(), factor);
    double[][] kx = kernel(v.nx(), factor);
    double[][] ky = kernel(v.ny(), factor);
    double[][] kz = kernel(v.nz(), factor);
    int nx = v.nx();
    int ny = v.ny();
    int nz = v.nz();
    int mx = out.nx();
    int my = out.ny();
    int mz = out.nz();
    float[] data = new float[out.size() * v.nt()];
    Parallel.forEach(v.nt(), t -> {
      float[] in = v.data();
      int base = t * nx * ny * nz;
      // along x: (nx, ny, nz) -> (mx, ny, nz)
      double[] a = new double[mx * ny * nz];
      for (int yz = 0; yz < ny * nz; yz++) {
        for (int m = 0; m < mx; m++) {
          double s = 0;
          double[] k = kx[m];
          for (int x = 0; x < nx; x++) {
            s += k[x] * in[base + x + nx * yz];
          }
          a[m + mx * yz] = s;
        }
      }
      // along y: (mx, ny, nz) -> (mx, my, nz)
      double[] b = new double[mx * my * nz];
      for (int z = 0; z < nz; z++) {
        for (int m = 0; m < my; m++) {
          double[] k = ky[m];
          for (int x = 0; x < mx; x++) {
            double s = 0;
            for (int y = 0; y < ny; y++) {
              s += k[y] * a[x + mx * (y + ny * z)];
            }
            b[x + mx * (m + my * z)] = s;
          }
        }
      }
      // along z: (mx, my, nz) -> (mx, my, mz)
      int obase = t * out.size();
      for (int m = 0; m < mz; m++) {
        double[] k = kz[m];
        for (int xy = 0; xy < mx * my; xy++) {
          double s = 0;
          for (int z = 0; z < nz; z++) {
            s += k[z] * b[xy + mx * my * z];
          }
          data[obase + xy + mx * my * m] = (float) s;
        }
      }
    });
    return new Volume(out, v.nt(), data);
  }

  /** The M x N real matrix of one axis. */
  static double[][] kernel(int n, int factor) {
    int m = n / factor;
    double[][] k = new double[m][n];
    for (int i = 0; i < m; i++) {
      double xm = i * factor + (factor - 1) / 2.0;
      for (int j = 0; j < n; j++) {
        double d = xm - j;
        double s = 1;
        int top = (m % 2 == 0) ? m / 2 - 1 : (m - 1) / 2;
        for (int f = 1; f <= top; f++) {
          s += 2 * Math.cos(2 * Math.PI * f * d / n);
        }
        if (m % 2 == 0) {
          s += Math.cos(Math.PI * m * d / n);
        }
        k[i][j] = s / n;
      }
    }
    return k;
  }
}
