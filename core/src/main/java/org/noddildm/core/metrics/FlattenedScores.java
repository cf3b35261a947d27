package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;

/**
 * The scoring of the original system's published code (github.com/guchengzhong/CLDM), so that
 * users can set our figures beside its 25.39 dB / 0.931: the three maps, loaded as nibabel
 * gives them (x, y, z, map) and reshaped in C order to (voxels x 3), background included, are
 * scored with scikit-image's {@code peak_signal_noise_ratio} and {@code structural_similarity}
 * ({@code channel_axis=1}: a one-dimensional SSIM along the voxel sequence per map, window 7),
 * with the data range = the truth's max - min over all three maps.
 *
 * <p>This scoring is lenient: the background counts as perfectly predicted voxels, and a 1-D
 * window along z rows sees little of the 3D structure. Compare with it only under the same
 * scoring; the project's own figures are PSNR in the brain and 3D SSIM.
 *
 * @param psnr dB
 * @param ssim mean over the three maps of the 1-D SSIM
 * @param dataRange the truth's max - min
 */
public record FlattenedScores(double psnr, double ssim, double dataRange) {
  /** scikit-image's default window. */
  private static final int WIN = 7;

  /** Scores {@code pred} against {@code truth} (3 maps each, same grid). */
  public static FlattenedScores of(Volume truth, Volume pred) {
    BadArgumentException.require(truth.nt() == pred.nt() && truth.data().length
        == pred.data().length, "flattened scores: expected maps of one shape, found "
        + truth.shape() + " and " + pred.shape());
    int nx = truth.nx();
    int ny = truth.ny();
    int nz = truth.nz();
    int n = truth.grid().size();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (float v : truth.data()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double range = hi - lo;
    double sq = 0;
    double ssim = 0;
    for (int t = 0; t < truth.nt(); t++) {
      double[] a = new double[n];
      double[] b = new double[n];
      int k = 0;
      // C order of (x, y, z): z fastest
      for (int x = 0; x < nx; x++) {
        for (int y = 0; y < ny; y++) {
          for (int z = 0; z < nz; z++) {
            a[k] = truth.get(x, y, z, t);
            b[k] = pred.get(x, y, z, t);
            double d = a[k] - b[k];
            sq += d * d;
            k++;
          }
        }
      }
      ssim += ssim1d(a, b, range) / truth.nt();
    }
    double mse = sq / truth.data().length;
    return new FlattenedScores(ErrorMetrics.psnrFromMse(mse, range), ssim, range);
  }

  /**
   * scikit-image's SSIM of two 1-D signals ({@link Ssim}'s formula): uniform window of
   * {@value #WIN} with scipy's 'reflect' edges, sample covariance, mean after cropping
   * (WIN - 1) / 2 values at each end.
   */
  static double ssim1d(double[] x, double[] y, double range) {
    int n = x.length;
    BadArgumentException.require(n >= WIN, "flattened SSIM: expected at least " + WIN
        + " voxels, found " + n);
    double c1 = Math.pow(0.01 * range, 2);
    double c2 = Math.pow(0.03 * range, 2);
    double cov = WIN / (WIN - 1.0);
    int h = WIN / 2;
    double sum = 0;
    for (int i = h; i < n - h; i++) { // the cropped window never reaches the reflected edge
      double ux = 0;
      double uy = 0;
      double uxx = 0;
      double uyy = 0;
      double uxy = 0;
      for (int k = i - h; k <= i + h; k++) {
        ux += x[k];
        uy += y[k];
        uxx += x[k] * x[k];
        uyy += y[k] * y[k];
        uxy += x[k] * y[k];
      }
      ux /= WIN;
      uy /= WIN;
      double vx = cov * (uxx / WIN - ux * ux);
      double vy = cov * (uyy / WIN - uy * uy);
      double vxy = cov * (uxy / WIN - ux * uy);
      sum += (2 * ux * uy + c1) * (2 * vxy + c2)
          / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
    return sum / (n - 2 * h);
  }
}
