package org.noddildm.model.train;

import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.Ssim;
import org.noddildm.core.metrics.SsimOptions;

/**
 * PSNR and SSIM of a reconstruction against its reference for validation during training, on
 * raw arrays: a thin adapter over {@code core.metrics}, which computes them exactly as
 * scikit-image does (uniform 7^3 window, K1 = 0.01, K2 = 0.03, sample covariance, border
 * cropped), so training logs and {@code noddi evaluate} agree.
 */
public final class ReconMetrics {
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

  /** PSNR in dB with the given data range, over all values. */
  public static double psnr(float[] ref, float[] test, double range) {
    double se = 0;
    for (int i = 0; i < ref.length; i++) {
      double e = ref[i] - test[i];
      se += e * e;
    }
    return ErrorMetrics.psnrFromMse(se / ref.length, range);
  }

  /** Mean SSIM over channels of volumes of {@code nt} channels, each nx * ny * nz, x fastest. */
  public static double ssim(float[] ref, float[] test, int nx, int ny, int nz, int nt,
      double range) {
    int n = nx * ny * nz;
    double sum = 0;
    for (int t = 0; t < nt; t++) {
      double[] x = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = ref[t * n + i];
        y[i] = test[t * n + i];
      }
      sum += Ssim.compute(x, y, new int[] {nx, ny, nz}, range, SsimOptions.defaults()).mean();
    }
    return sum / nt;
  }
}
