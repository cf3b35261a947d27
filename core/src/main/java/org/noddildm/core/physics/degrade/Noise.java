package org.noddildm.core.physics.degrade;

import java.util.Locale;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;

/**
 * Thermal noise of magnitude MR images. The real and imaginary channels carry independent
 * Gaussian noise of standard deviation sigma, so a magnitude image of true signal nu follows the
 * Rice distribution (Gudbjartsson and Patz 1995, MRM 34:910):
 *
 * <pre>
 *   M = sqrt((nu + sigma z1)^2 + (sigma z2)^2),  z1, z2 ~ N(0, 1)
 *   E[M^2] = nu^2 + 2 sigma^2
 *   E[M]   = sigma sqrt(pi / 2) L_{1/2}(-nu^2 / (2 sigma^2))
 * </pre>
 *
 * The SNR is that of the b0 signal: sigma = S0 / SNR. Gaussian noise (nu + sigma z1, e.g. for
 * real-valued reconstructions) and no noise are options. Noise for voxel i comes from a
 * generator seeded with (seed, i), so the result does not depend on thread scheduling.
 */
public enum Noise {
  /** Magnitude of complex Gaussian noise (the default for magnitude DWIs). */
  RICIAN,
  /** Additive real Gaussian noise. */
  GAUSSIAN,
  /** No noise. */
  NONE;

  /** One noisy sample of true signal nu. */
  public double sample(double nu, double sigma, SplittableRandom rnd) {
    switch (this) {
      case RICIAN: {
        double re = nu + sigma * rnd.nextGaussian();
        double im = sigma * rnd.nextGaussian();
        return Math.sqrt(re * re + im * im);
      }
      case GAUSSIAN:
        return nu + sigma * rnd.nextGaussian();
      default:
        return nu;
    }
  }

  /**
   * One noisy magnitude sample of a complex true signal re + i im (a partial-Fourier image):
   * Rician adds complex Gaussian noise and takes the magnitude (for im = 0 the same draws and
   * value as {@link #sample}); Gaussian adds real noise to the magnitude; none is the magnitude.
   */
  public double sampleComplex(double re, double im, double sigma, SplittableRandom rnd) {
    if (this == RICIAN) {
      double a = re + sigma * rnd.nextGaussian();
      double b = im + sigma * rnd.nextGaussian();
      return Math.sqrt(a * a + b * b);
    }
    return sample(Math.hypot(re, im), sigma, rnd);
  }

  /** Adds noise in place to a voxel's series. */
  public void apply(float[] series, double sigma, SplittableRandom rnd) {
    for (int t = 0; t < series.length; t++) {
      series[t] = (float) sample(series[t], sigma, rnd);
    }
  }

  /** A generator for voxel {@code index} that depends only on the seed and the index. */
  public static SplittableRandom voxelRandom(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new SplittableRandom(z ^ (z >>> 31));
  }

  /** sigma for a b0 signal level and SNR; SNR = infinity means no noise. */
  public static double sigma(double s0, double snr) {
    BadArgumentException.require(snr > 0, "SNR: expected > 0, found " + snr);
    return Double.isInfinite(snr) ? 0 : s0 / snr;
  }

  /** Parses "rician", "gaussian" or "none". */
  public static Noise parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadArgumentException("noise: expected rician, gaussian or none, found " + s);
    }
  }
}
