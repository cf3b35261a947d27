package org.noddildm.model.train;

/**
 * PSNR and SSIM of a reconstruction against its reference, as the write-up reports them
 * (scikit-image conventions). A small local helper for validation during training.
 *
 * <p>PSNR = 10 log10(R^2 / MSE) with R the data range of the reference (max - min). SSIM (Wang
 * et al. 2004) with a uniform 7^3 window, K1 = 0.01, K2 = 0.03, sample covariance, averaged over
 * the voxels whose window lies inside the volume (scikit-image crops the same border), and over
 * channels for multi-channel volumes.
 */
public final class ReconMetrics {
  private static final int WIN = 7;

  private ReconMetrics() {}

  /** Data range of the reference, max - min. */
  public static double dataRange(float[] ref) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (float f : ref) {
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
    }
    return hi - lo;
  }

  /** PSNR in dB with the given data range. */
  public static double psnr(float[] ref, float[] test, double range) {
    double se = 0;
    for (int i = 0; i < ref.length; i++) {
      double e = ref[i] - test[i];
      se += e * e;
    }
    double mse = se / ref.length;
    return 10 * Math.log10(range * range / mse);
  }

  /** Mean SSIM over channels of volumes of {@code nt} channels, each nx * ny * nz, x fastest. */
  public static double ssim(float[] ref, float[] test, int nx, int ny, int nz, int nt,
      double range) {
    int n = nx * ny * nz;
    double sum = 0;
    for (int t = 0; t < nt; t++) {
      sum += ssim3d(ref, test, t * n, nx, ny, nz, range);
    }
    return sum / nt;
  }

  private static double ssim3d(float[] a, float[] b, int off, int nx, int ny, int nz,
      double range) {
    if (nx < WIN || ny < WIN || nz < WIN) {
      throw new IllegalArgumentException("SSIM: expected every side >= " + WIN + ", found "
          + nx + " x " + ny + " x " + nz);
    }
    double c1 = Math.pow(0.01 * range, 2);
    double c2 = Math.pow(0.03 * range, 2);
    int n = nx * ny * nz;
    double[][] q = new double[5][n];
    for (int i = 0; i < n; i++) {
      double x = a[off + i];
      double y = b[off + i];
      q[0][i] = x;
      q[1][i] = y;
      q[2][i] = x * x;
      q[3][i] = y * y;
      q[4][i] = x * y;
    }
    for (double[] f : q) {
      boxValid(f, nx, ny, nz);
    }
    int ox = nx - WIN + 1;
    int oy = ny - WIN + 1;
    int oz = nz - WIN + 1;
    double np = Math.pow(WIN, 3);
    double cov = np / (np - 1);
    double total = 0;
    for (int z = 0; z < oz; z++) {
      for (int y = 0; y < oy; y++) {
        for (int x = 0; x < ox; x++) {
          int i = x + nx * (y + ny * z);
          double mx = q[0][i];
          double my = q[1][i];
          double vx = cov * (q[2][i] - mx * mx);
          double vy = cov * (q[3][i] - my * my);
          double vxy = cov * (q[4][i] - mx * my);
          total += (2 * mx * my + c1) * (2 * vxy + c2)
              / ((mx * mx + my * my + c1) * (vx + vy + c2));
        }
      }
    }
    return total / ((double) ox * oy * oz);
  }

  /** In place: f[x,y,z] = mean of the 7^3 box starting at (x, y, z), for every valid start. */
  private static void boxValid(double[] f, int nx, int ny, int nz) {
    double[] line = new double[Math.max(nx, Math.max(ny, nz))];
    // along x
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        int base = nx * (y + ny * z);
        slide(f, base, 1, nx, line);
      }
    }
    for (int z = 0; z < nz; z++) {
      for (int x = 0; x < nx; x++) {
        slide(f, x + nx * ny * z, nx, ny, line);
      }
    }
    for (int y = 0; y < ny; y++) {
      for (int x = 0; x < nx; x++) {
        slide(f, x + nx * y, nx * ny, nz, line);
      }
    }
  }

  private static void slide(double[] f, int base, int stride, int len, double[] line) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      line[i] = f[base + i * stride];
    }
    for (int i = 0; i < WIN; i++) {
      s += line[i];
    }
    for (int i = 0; i + WIN <= len; i++) {
      f[base + i * stride] = s / WIN;
      if (i + WIN < len) {
        s += line[i + WIN] - line[i];
      }
    }
  }
}
