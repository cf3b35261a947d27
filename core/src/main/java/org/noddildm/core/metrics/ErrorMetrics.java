package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * Voxel-wise error measures between a reference and a test image, over all voxels or inside a
 * mask, in double precision:
 *
 * <pre>
 *   MSE  = (1/n) sum (ref_i - test_i)^2
 *   MAE  = (1/n) sum |ref_i - test_i|
 *   PSNR = 10 log10(R^2 / MSE)     (dB; +infinity when MSE = 0)
 * </pre>
 *
 * PSNR is scikit-image's {@code peak_signal_noise_ratio(image_true, image_test, data_range=R)};
 * the data range R is always explicit here (see {@link #referenceRange}).
 */
public final class ErrorMetrics {
  private ErrorMetrics() {}

  /** The data range NODDI maps are defined on (volume fractions and ODI lie in 0..1). */
  public static final double NODDI_RANGE = 1.0;

  /**
   * NDI and ODI are scored only where the true FWF is below this: in free water they describe
   * a tissue share the signal hardly shows, and they are undefined in pure CSF.
   */
  public static final float FREE_WATER = 0.9f;

  /** Whether map {@code t} (0 NDI, 1 ODI, 2 FWF) is scored at voxel {@code i} of {@code truth}. */
  public static boolean scored(Volume truth, int t, int i) {
    return t == 2 || truth.at(i, 2) < FREE_WATER;
  }

  /** Mean squared error of volume {@code t}; {@code mask} may be null for every voxel. */
  public static double mse(Volume ref, Volume test, int t, Mask mask) {
    return moments(ref, test, t, mask)[0];
  }

  /** Mean absolute error of volume {@code t}; {@code mask} may be null for every voxel. */
  public static double mae(Volume ref, Volume test, int t, Mask mask) {
    return moments(ref, test, t, mask)[1];
  }

  /** PSNR in dB of volume {@code t} with data range {@code dataRange}. */
  public static double psnr(Volume ref, Volume test, int t, Mask mask, double dataRange) {
    return psnrFromMse(mse(ref, test, t, mask), dataRange);
  }

  /**
   * PSNR in dB over every value of every volume (a reconstruction against its reference, as
   * scikit-image's {@code peak_signal_noise_ratio} on the whole array).
   */
  public static double psnr(Volume ref, Volume test, double dataRange) {
    Ssim.requireSameShape(ref, test);
    float[] a = ref.data();
    float[] b = test.data();
    double se = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      se += d * d;
    }
    return psnrFromMse(se / a.length, dataRange);
  }

  /** The reference's max - min over every value of every volume. */
  public static double referenceRange(Volume ref) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (float v : ref.data()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return hi - lo;
  }

  /** {@code 10 log10(R^2 / mse)}. */
  public static double psnrFromMse(double mse, double dataRange) {
    BadArgumentException.require(dataRange > 0 && Double.isFinite(dataRange),
        "PSNR data range: expected a positive finite value, found " + dataRange);
    return 10 * Math.log10(dataRange * dataRange / mse);
  }

  /** The reference's max - min over volume {@code t} (inside the mask when one is given). */
  public static double referenceRange(Volume ref, int t, Mask mask) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int n = ref.grid().size();
    for (int i = 0; i < n; i++) {
      if (mask == null || mask.contains(i)) {
        double v = ref.at(i, t);
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    return hi - lo;
  }

  /** {MSE, MAE} in one pass. */
  static double[] moments(Volume ref, Volume test, int t, Mask mask) {
    Ssim.requireSameShape(ref, test);
    int n = ref.grid().size();
    if (mask != null) {
      BadArgumentException.require(mask.grid().size() == n,
          "mask: expected " + ref.grid().shape() + ", found " + mask.grid().shape());
      BadArgumentException.require(mask.count() > 0, "mask: expected at least one voxel inside");
    }
    double se = 0;
    double ae = 0;
    long count = 0;
    for (int i = 0; i < n; i++) {
      if (mask == null || mask.contains(i)) {
        double d = (double) ref.at(i, t) - test.at(i, t);
        se += d * d;
        ae += Math.abs(d);
        count++;
      }
    }
    return new double[] {se / count, ae / count};
  }
}
