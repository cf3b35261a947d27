package org.noddildm.core.physics.degrade;

import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * Downsampling as a scanner with a smaller acquisition matrix does it: keep only the central
 * M = N / factor spatial frequencies of each axis, weight them by the reconstruction's filter
 * ({@link KSpaceFilter}: apodisation, partial Fourier) and reconstruct on the coarse grid. Per
 * axis this is a linear map (band-limited interpolation with the Dirichlet kernel) evaluated at
 * the coarse voxel centres x_m = m factor + (factor - 1) / 2, the block centres of
 * {@link VolumeOps#downsampledGrid}: the coarse image covers the same field of view with the
 * same centre, as a scanner reconstructs a prescribed field of view on a coarser matrix.
 *
 * <pre>
 *   L[m] = sum_n H[n] K(x_m - n),
 *   K(d) = (1/N) sum_{k kept} c_k w_k exp(2 pi i k d / N)
 * </pre>
 *
 * with c_k = 1/2 for the Nyquist frequency of an even M (shared between +-M/2), else 1, and w_k
 * the filter's weight. Without partial Fourier w is symmetric and K real:
 * K(d) = (1/N) [w_0 + sum_{k>=1} (w_k + w_-k) cos(2 pi k d / N) + ...]. Sharp edges ring
 * (Gibbs), as in real low-resolution scans; with partial Fourier the image is complex.
 */
public final class KSpaceTruncation {
  private KSpaceTruncation() {}

  /**
   * A reconstructed image: its real part, and its imaginary part or null when the image is real
   * (no partial Fourier).
   */
  public record Image(Volume re, Volume im) {
    /** The magnitude image. */
    public Volume magnitude() {
      if (im == null) {
        return re;
      }
      float[] a = re.data();
      float[] b = im.data();
      float[] m = new float[a.length];
      for (int i = 0; i < a.length; i++) {
        m[i] = (float) Math.hypot(a[i], b[i]);
      }
      return new Volume(re.grid(), re.nt(), m);
    }
  }

  /** The truncated-k-space image of every volume on the block-downsampled grid, unfiltered. */
  public static Volume downsample(Volume v, int factor) {
    return acquire(v, factor, KSpaceFilter.NONE).re();
  }

  /** The filtered truncated-k-space image (complex with partial Fourier) of every volume. */
  public static Image acquire(Volume v, int factor, KSpaceFilter filter) {
    Grid out = VolumeOps.downsampledGrid(v.grid(), factor);
    double[][][] kx = kernel(v.nx(), factor, filter, 0);
    double[][][] ky = kernel(v.ny(), factor, filter, 1);
    double[][][] kz = kernel(v.nz(), factor, filter, 2);
    int n = v.grid().size();
    int m = out.size();
    float[] re = new float[m * v.nt()];
    float[] im = filter.isReal() ? null : new float[m * v.nt()];
    Parallel.forEach(v.nt(), t -> {
      float[] in = v.data();
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = in[t * n + i];
      }
      int[] dims = {v.nx(), v.ny(), v.nz()};
      double[][] c = {a, null};
      c = along(c, dims, 0, kx);   // (nx, ny, nz) -> (mx, ny, nz)
      c = along(c, dims, 1, ky);   // -> (mx, my, nz)
      c = along(c, dims, 2, kz);   // -> (mx, my, mz)
      for (int i = 0; i < m; i++) {
        re[t * m + i] = (float) c[0][i];
        if (im != null) {
          im[t * m + i] = c[1] == null ? 0f : (float) c[1][i];
        }
      }
    });
    return new Image(new Volume(out, v.nt(), re), im == null ? null
        : new Volume(out, v.nt(), im));
  }

  /**
   * Applies one axis's kernel {re, im} (im null when real) to a complex array {re, im} of shape
   * {@code dims}; {@code dims[axis]} becomes the kernel's row count. Each output sample is the
   * sum over the input samples in index order.
   */
  private static double[][] along(double[][] c, int[] dims, int axis, double[][][] k) {
    int n = dims[axis];
    int m = k[0].length;
    int stride = axis == 0 ? 1 : axis == 1 ? dims[0] : dims[0] * dims[1];
    int[] outDims = dims.clone();
    outDims[axis] = m;
    int outStride = axis == 0 ? 1 : axis == 1 ? outDims[0] : outDims[0] * outDims[1];
    int inner = stride;
    int outer = dims[0] * dims[1] * dims[2] / (stride * n);
    boolean complexOut = c[1] != null || k[1] != null;
    double[] re = new double[m * inner * outer];
    double[] im = complexOut ? new double[re.length] : null;
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int inBase = i + o * stride * n;
        int outBase = i + o * outStride * m;
        for (int row = 0; row < m; row++) {
          double[] kr = k[0][row];
          double[] ki = k[1] == null ? null : k[1][row];
          double s = 0;
          double si = 0;
          for (int j = 0; j < n; j++) {
            double xr = c[0][inBase + j * stride];
            if (complexOut) {
              double xi = c[1] == null ? 0 : c[1][inBase + j * stride];
              double kim = ki == null ? 0 : ki[j];
              s += kr[j] * xr - kim * xi;
              si += kr[j] * xi + kim * xr;
            } else {
              s += kr[j] * xr;
            }
          }
          re[outBase + row * outStride] = s;
          if (im != null) {
            im[outBase + row * outStride] = si;
          }
        }
      }
    }
    System.arraycopy(outDims, 0, dims, 0, 3);
    return new double[][] {re, im};
  }

  /** The M x N complex matrix {re, im} of one axis (im null when it is real). */
  static double[][][] kernel(int n, int factor, KSpaceFilter filter, int axis) {
    int m = n / factor;
    double[][] re = new double[m][n];
    boolean real = filter.isReal() || axis != filter.phaseAxis();
    double[][] im = real ? null : new double[m][n];
    int top = (m % 2 == 0) ? m / 2 - 1 : (m - 1) / 2;
    double[] wp = new double[m / 2 + 1];
    double[] wn = new double[m / 2 + 1];
    for (int f = 0; f <= m / 2; f++) {
      wp[f] = filter.weight(f, m, axis);
      wn[f] = filter.weight(-f, m, axis);
    }
    for (int i = 0; i < m; i++) {
      double xm = i * factor + (factor - 1) / 2.0;
      for (int j = 0; j < n; j++) {
        double d = xm - j;
        double s = wp[0];
        double si = 0;
        for (int f = 1; f <= top; f++) {
          double angle = 2 * Math.PI * f * d / n;
          s += (wp[f] + wn[f]) * Math.cos(angle);
          if (!real) {
            si += (wp[f] - wn[f]) * Math.sin(angle);
          }
        }
        if (m % 2 == 0) {
          // the Nyquist frequency, half at +M/2 and half at -M/2
          double angle = Math.PI * m * d / n;
          s += 0.5 * (wp[m / 2] + wn[m / 2]) * Math.cos(angle);
          if (!real) {
            si += 0.5 * (wp[m / 2] - wn[m / 2]) * Math.sin(angle);
          }
        }
        re[i][j] = s / n;
        if (!real) {
          im[i][j] = si / n;
        }
      }
    }
    return new double[][][] {re, im};
  }
}
