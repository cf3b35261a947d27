package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Parallel;

/**
 * Separable correlation of a 2D or 3D image with one 1D kernel applied along every axis, with
 * the border mode {@code 'reflect'} of {@code scipy.ndimage} (the edge sample is repeated:
 * {@code d c b a | a b c d | d c b a}). With a box kernel of {@code 1/size} weights this is
 * {@code scipy.ndimage.uniform_filter}; with normalised Gaussian weights it is
 * {@code scipy.ndimage.gaussian_filter}, the two filters scikit-image's SSIM uses.
 *
 * <p>Images are {@code double[]} with the first axis fastest: index {@code i + n0 * (j + n1 * k)}.
 * Every pass walks contiguous rows, so the cost is {@code O(taps)} per voxel and axis, and rows
 * are spread over all cores.
 */
public final class SeparableFilter {
  private static final int ROWS_PER_TASK = 64;

  private SeparableFilter() {}

  /** The box kernel of {@code size} equal weights (size odd), as {@code uniform_filter}. */
  public static double[] boxKernel(int size) {
    BadArgumentException.require(size >= 1 && size % 2 == 1,
        "box kernel: expected an odd size >= 1, found " + size);
    double[] w = new double[size];
    java.util.Arrays.fill(w, 1.0 / size);
    return w;
  }

  /** Kernel radius of {@code gaussian_filter}: {@code int(truncate * sigma + 0.5)}. */
  public static int gaussianRadius(double sigma, double truncate) {
    return (int) (truncate * sigma + 0.5);
  }

  /** Normalised Gaussian weights {@code exp(-x^2 / (2 sigma^2))} for x = -r..r, as scipy's. */
  public static double[] gaussianKernel(double sigma, double truncate) {
    BadArgumentException.require(sigma > 0, "gaussian kernel: expected sigma > 0, found " + sigma);
    int r = gaussianRadius(sigma, truncate);
    double[] w = new double[2 * r + 1];
    double sum = 0;
    for (int x = -r; x <= r; x++) {
      w[x + r] = Math.exp(-0.5 * x * x / (sigma * sigma));
      sum += w[x + r];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= sum;
    }
    return w;
  }

  /** scipy's {@code 'reflect'} index for position {@code i} on an axis of length {@code n}. */
  static int reflect(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int p = 2 * n;
    int m = i % p;
    if (m < 0) {
      m += p;
    }
    return m < n ? m : p - 1 - m;
  }

  /**
   * Correlates {@code in} with {@code w} (odd length, centred) along each axis of {@code shape}
   * (2 or 3 entries, first fastest). Returns a new array; {@code in} is unchanged.
   */
  public static double[] apply(double[] in, int[] shape, double[] w) {
    return apply(in, null, shape, w);
  }

  /**
   * Filters the voxel-wise product {@code a * b} (or {@code a} alone when {@code b} is null)
   * without materialising the product: the first pass multiplies as it reads.
   */
  public static double[] apply(double[] in, double[] b, int[] shape, double[] w) {
    BadArgumentException.require(shape.length == 2 || shape.length == 3,
        "filter: expected a 2D or 3D shape, found " + shape.length + " axes");
    BadArgumentException.require(w.length % 2 == 1,
        "filter: expected an odd kernel length, found " + w.length);
    int n0 = shape[0];
    int n1 = shape[1];
    int n2 = shape.length == 3 ? shape[2] : 1;
    BadArgumentException.require((long) n0 * n1 * n2 == in.length,
        "filter: expected " + (long) n0 * n1 * n2 + " values, found " + in.length);
    BadArgumentException.require(b == null || b.length == in.length,
        "filter: expected factors of equal length, found " + in.length + " and "
            + (b == null ? 0 : b.length));
    // Two buffers suffice: first pass into p, second into q, third back into p.
    double[] p = new double[in.length];
    double[] q = new double[in.length];
    alongFirst(in, b, p, n0, n1 * n2, w);
    alongOuter(p, q, n0, n1, n2, 1, w);
    if (shape.length == 2) {
      return q;
    }
    alongOuter(q, p, n0, n1, n2, 2, w);
    return p;
  }

  /** Pass along axis 0: each row is padded by reflection into a buffer, then correlated. */
  private static void alongFirst(double[] in, double[] b, double[] out, int n0, int rows,
      double[] w) {
    int r = w.length / 2;
    Parallel.forChunks(rows, ROWS_PER_TASK, (start, end) -> {
      double[] buf = new double[n0 + 2 * r];
      for (int row = start; row < end; row++) {
        int base = row * n0;
        for (int i = -r; i < n0 + r; i++) {
          int j = base + reflect(i, n0);
          buf[i + r] = b == null ? in[j] : in[j] * b[j];
        }
        for (int i = 0; i < n0; i++) {
          double s = 0;
          for (int t = 0; t < w.length; t++) {
            s += w[t] * buf[i + t];
          }
          out[base + i] = s;
        }
      }
    });
  }

  /**
   * Pass along axis 1 or 2: output row (j, k) is the weighted sum of whole input rows at the
   * reflected neighbouring j (or k), so the inner loop runs over contiguous memory.
   */
  private static void alongOuter(double[] in, double[] out, int n0, int n1, int n2, int axis,
      double[] w) {
    int r = w.length / 2;
    Parallel.forChunks(n1 * n2, ROWS_PER_TASK, (start, end) -> {
      for (int row = start; row < end; row++) {
        int j = row % n1;
        int k = row / n1;
        int o = row * n0;
        java.util.Arrays.fill(out, o, o + n0, 0.0);
        for (int t = 0; t < w.length; t++) {
          int src = axis == 1
              ? n0 * (reflect(j + t - r, n1) + n1 * k)
              : n0 * (j + n1 * reflect(k + t - r, n2));
          double wt = w[t];
          for (int i = 0; i < n0; i++) {
            out[o + i] += wt * in[src + i];
          }
        }
      }
    });
  }
}
