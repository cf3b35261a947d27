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
    boolean box = isBox(w);
    alongFirst(in, b, p, n0, n1 * n2, w, box);
    if (box) {
      boxOuter(p, q, n0, n1, n2, 1, w.length / 2);
    } else {
      alongOuter(p, q, n0, n1, n2, 1, w);
    }
    if (shape.length == 2) {
      return q;
    }
    if (box) {
      boxOuter(q, p, n0, n1, n2, 2, w.length / 2);
    } else {
      alongOuter(q, p, n0, n1, n2, 2, w);
    }
    return p;
  }

  private static boolean isBox(double[] w) {
    for (double v : w) {
      if (v != w[0]) {
        return false;
      }
    }
    return true;
  }

  /** Pass along axis 0: each row is padded by reflection into a buffer, then correlated. */
  private static void alongFirst(double[] in, double[] b, double[] out, int n0, int rows,
      double[] w, boolean box) {
    int r = w.length / 2;
    Parallel.forChunks(rows, ROWS_PER_TASK, (start, end) -> {
      double[] buf = new double[n0 + 2 * r];
      for (int row = start; row < end; row++) {
        int base = row * n0;
        for (int i = -r; i < n0 + r; i++) {
          int j = base + reflect(i, n0);
          buf[i + r] = b == null ? in[j] : in[j] * b[j];
        }
        if (box) { // running sum: add the sample entering the window, drop the one leaving
          double s = 0;
          for (int t = 0; t < w.length; t++) {
            s += buf[t];
          }
          out[base] = s * w[0];
          for (int i = 1; i < n0; i++) {
            s += buf[i + w.length - 1] - buf[i - 1];
            out[base + i] = s * w[0];
          }
          continue;
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

  /**
   * Box pass along axis 1 or 2 as a running sum of whole rows: each output row costs one row
   * added and one subtracted whatever the window size, like scipy's {@code uniform_filter1d}.
   */
  private static void boxOuter(double[] in, double[] out, int n0, int n1, int n2, int axis,
      int r) {
    int nl = axis == 1 ? n1 : n2;
    int no = axis == 1 ? n2 : n1;
    double scale = 1.0 / (2 * r + 1);
    Parallel.forChunks(no, 1, (start, end) -> {
      double[] acc = new double[n0];
      for (int other = start; other < end; other++) {
        java.util.Arrays.fill(acc, 0.0);
        for (int t = -r; t <= r; t++) {
          int src = rowOffset(reflect(t, nl), other, n0, n1, axis);
          for (int i = 0; i < n0; i++) {
            acc[i] += in[src + i];
          }
        }
        for (int l = 0; l < nl; l++) {
          if (l > 0) {
            int add = rowOffset(reflect(l + r, nl), other, n0, n1, axis);
            int sub = rowOffset(reflect(l - r - 1, nl), other, n0, n1, axis);
            for (int i = 0; i < n0; i++) {
              acc[i] += in[add + i] - in[sub + i];
            }
          }
          int o = rowOffset(l, other, n0, n1, axis);
          for (int i = 0; i < n0; i++) {
            out[o + i] = acc[i] * scale;
          }
        }
      }
    });
  }

  /** Start of the row at line index l along {@code axis} and index {@code other} across. */
  private static int rowOffset(int l, int other, int n0, int n1, int axis) {
    return axis == 1 ? n0 * (l + n1 * other) : n0 * (other + n1 * l);
  }
}
