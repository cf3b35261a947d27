package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;

/**
 * Settings of {@link Ssim}, with scikit-image's {@code structural_similarity} defaults.
 *
 * @param winSize side of the sliding window, odd (default 7; with Gaussian weights scikit-image
 *     uses {@code 2 * int(3.5 * sigma + 0.5) + 1}, 11 for sigma 1.5, see {@link #gaussian()})
 * @param gaussianWeights weight the window by a Gaussian of {@code sigma} instead of uniformly
 *     (default false)
 * @param sigma standard deviation of the Gaussian window in voxels (default 1.5)
 * @param k1 luminance constant, {@code C1 = (K1 R)^2} (default 0.01)
 * @param k2 contrast constant, {@code C2 = (K2 R)^2} (default 0.03)
 * @param sampleCovariance normalise (co)variances by {@code N - 1} rather than {@code N}, N the
 *     voxels in the window (default true)
 */
public record SsimOptions(int winSize, boolean gaussianWeights, double sigma, double k1,
    double k2, boolean sampleCovariance) {
  /** scikit-image's {@code truncate} of the Gaussian window. */
  public static final double TRUNCATE = 3.5;

  public SsimOptions {
    BadArgumentException.require(winSize >= 1 && winSize % 2 == 1,
        "SSIM window: expected an odd size >= 1, found " + winSize);
    BadArgumentException.require(sigma > 0, "SSIM sigma: expected > 0, found " + sigma);
    BadArgumentException.require(k1 > 0 && k2 > 0,
        "SSIM constants: expected K1, K2 > 0, found " + k1 + ", " + k2);
  }

  /** Uniform 7-voxel window, sample covariance, K1 0.01, K2 0.03: scikit-image's default. */
  public static SsimOptions defaults() {
    return new SsimOptions(7, false, 1.5, 0.01, 0.03, true);
  }

  /** Gaussian window of {@code sigma} voxels, window size as scikit-image derives it. */
  public static SsimOptions gaussian(double sigma) {
    int r = SeparableFilter.gaussianRadius(sigma, TRUNCATE);
    return new SsimOptions(2 * r + 1, true, sigma, 0.01, 0.03, true);
  }

  public SsimOptions withWinSize(int w) {
    return new SsimOptions(w, gaussianWeights, sigma, k1, k2, sampleCovariance);
  }

  public SsimOptions withSampleCovariance(boolean s) {
    return new SsimOptions(winSize, gaussianWeights, sigma, k1, k2, s);
  }

  /** The 1D kernel applied along each axis. */
  double[] kernel() {
    return gaussianWeights ? SeparableFilter.gaussianKernel(sigma, TRUNCATE)
        : SeparableFilter.boxKernel(winSize);
  }
}
