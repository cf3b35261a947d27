package org.noddildm.core.fit;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.dwi.ShellFeatures;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * A brain mask from the b0 signal in the manner of dipy's {@code median_otsu}: the mean b0 is
 * smoothed by repeated 3x3x3 median filters, thresholded at Otsu's threshold (Otsu 1979: the
 * cut that maximises the between-class variance of the histogram), then cleaned up by keeping
 * the largest 6-connected component and filling the holes that do not reach the border.
 */
public final class BrainMask {
  private static final int BINS = 256;
  /** Median passes of the automatic mask. */
  public static final int AUTOMATIC_PASSES = 2;

  private BrainMask() {}

  /**
   * The automatic brain mask of a scan, the one rule {@code predict}, {@code fit} and
   * {@code bids} share: median Otsu with {@value #AUTOMATIC_PASSES} passes of its mean b0.
   */
  public static Mask automatic(Volume scan, GradientTable table) {
    return automatic(Volume.of(scan.grid(), ShellFeatures.meanB0(scan, requireB0(table))));
  }

  /** The automatic brain mask from a mean b0 image (for callers that stream the volumes). */
  public static Mask automatic(Volume meanB0) {
    return medianOtsu(meanB0, AUTOMATIC_PASSES);
  }

  /** The b0 volumes of {@code table}, or one clear error when it has none. */
  public static int[] requireB0(GradientTable table) {
    int[] b0 = table.b0Indices();
    BadArgumentException.require(b0.length > 0, "automatic mask: expected at least one b0"
        + " volume, found none; give a brain mask");
    return b0;
  }

  /** The mask of a mean-b0 image after {@code passes} median filters (dipy uses 4). */
  public static Mask medianOtsu(Volume b0, int passes) {
    BadArgumentException.require(passes >= 0 && passes <= 10,
        "median passes: expected 0..10, found " + passes);
    Grid g = b0.grid();
    float[] raw = b0.data().clone();
    for (int i = 0; i < raw.length; i++) {
      if (!Float.isFinite(raw[i])) {
        raw[i] = 0;
      }
    }
    float[] img = raw;
    for (int p = 0; p < passes; p++) {
      img = median3(img, g);
    }
    double threshold = otsu(img);
    boolean[] in = new boolean[img.length];
    for (int i = 0; i < img.length; i++) {
      in[i] = img[i] > threshold;
    }
    in = largestComponent(in, g);
    // the median filter rounds off edges and corners: give back, one voxel layer per pass,
    // neighbours whose unfiltered signal is above the threshold
    for (int p = 0; p < passes; p++) {
      in = growInto(in, raw, threshold, g);
    }
    fillHoles(in, g);
    return new Mask(g, in);
  }

  /** Otsu's threshold of the values (Otsu 1979), over a 256-bin histogram of their range. */
  static double otsu(float[] values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (float v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (!(hi > lo)) {
      return lo;
    }
    long[] hist = new long[BINS];
    double width = (hi - lo) / BINS;
    for (float v : values) {
      hist[Math.min(BINS - 1, (int) ((v - lo) / width))]++;
    }
    double total = values.length;
    double sumAll = 0;
    for (int b = 0; b < BINS; b++) {
      sumAll += b * (double) hist[b];
    }
    double w0 = 0;
    double sum0 = 0;
    double best = -1;
    int bestBin = 0;
    for (int b = 0; b < BINS - 1; b++) {
      w0 += hist[b];
      sum0 += b * (double) hist[b];
      double w1 = total - w0;
      if (w0 == 0 || w1 == 0) {
        continue;
      }
      double m0 = sum0 / w0;
      double m1 = (sumAll - sum0) / w1;
      double between = w0 * w1 * (m0 - m1) * (m0 - m1);
      if (between > best) {
        best = between;
        bestBin = b;
      }
    }
    return lo + (bestBin + 1) * width;
  }

  /** One 3x3x3 median filter pass (the neighbourhood is clipped at the borders). */
  static float[] median3(float[] img, Grid g) {
    int nx = g.nx();
    int ny = g.ny();
    int nz = g.nz();
    float[] out = new float[img.length];
    Parallel.forEach(nz, z -> {
      float[] window = new float[27];
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          int k = 0;
          for (int dz = -1; dz <= 1; dz++) {
            int zz = z + dz;
            if (zz < 0 || zz >= nz) {
              continue;
            }
            for (int dy = -1; dy <= 1; dy++) {
              int yy = y + dy;
              if (yy < 0 || yy >= ny) {
                continue;
              }
              for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                if (xx >= 0 && xx < nx) {
                  window[k++] = img[xx + nx * (yy + ny * zz)];
                }
              }
            }
          }
          Arrays.sort(window, 0, k);
          // the lower median when the window, clipped at the border, has an even count
          out[x + nx * (y + ny * z)] = window[(k - 1) / 2];
        }
      }
    });
    return out;
  }

  /** {@code in} plus its 6-neighbours whose value is above {@code threshold}. */
  static boolean[] growInto(boolean[] in, float[] values, double threshold, Grid g) {
    int nx = g.nx();
    int ny = g.ny();
    int nz = g.nz();
    int plane = nx * ny;
    boolean[] out = in.clone();
    for (int i = 0; i < in.length; i++) {
      if (in[i] || !(values[i] > threshold)) {
        continue;
      }
      int x = i % nx;
      int y = (i / nx) % ny;
      int z = i / plane;
      out[i] = (x > 0 && in[i - 1]) || (x < nx - 1 && in[i + 1]) || (y > 0 && in[i - nx])
          || (y < ny - 1 && in[i + nx]) || (z > 0 && in[i - plane])
          || (z < nz - 1 && in[i + plane]);
    }
    return out;
  }

  /** The largest 6-connected component of {@code in}. */
  static boolean[] largestComponent(boolean[] in, Grid g) {
    int[] label = new int[in.length];
    int[] queue = new int[in.length];
    int bestLabel = 0;
    int bestSize = 0;
    int next = 0;
    for (int s = 0; s < in.length; s++) {
      if (!in[s] || label[s] != 0) {
        continue;
      }
      next++;
      int size = flood(in, true, label, next, s, queue, g);
      if (size > bestSize) {
        bestSize = size;
        bestLabel = next;
      }
    }
    boolean[] out = new boolean[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = bestLabel != 0 && label[i] == bestLabel;
    }
    return out;
  }

  /** Sets to true the background voxels not 6-connected to the grid border. */
  static void fillHoles(boolean[] in, Grid g) {
    int[] label = new int[in.length];
    int[] queue = new int[in.length];
    int nx = g.nx();
    int ny = g.ny();
    int nz = g.nz();
    for (int z = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          boolean border = x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1
              || z == nz - 1;
          int i = g.index(x, y, z);
          if (border && !in[i] && label[i] == 0) {
            flood(in, false, label, 1, i, queue, g);
          }
        }
      }
    }
    for (int i = 0; i < in.length; i++) {
      if (!in[i] && label[i] == 0) {
        in[i] = true;
      }
    }
  }

  /** Breadth-first fill of voxels whose value is {@code value}; returns the component size. */
  private static int flood(boolean[] in, boolean value, int[] label, int id, int seed,
      int[] queue, Grid g) {
    int nx = g.nx();
    int ny = g.ny();
    int nz = g.nz();
    int plane = nx * ny;
    int head = 0;
    int tail = 0;
    queue[tail++] = seed;
    label[seed] = id;
    while (head < tail) {
      int i = queue[head++];
      int x = i % nx;
      int y = (i / nx) % ny;
      int z = i / plane;
      int[] nbrs = {x > 0 ? i - 1 : -1, x < nx - 1 ? i + 1 : -1, y > 0 ? i - nx : -1,
          y < ny - 1 ? i + nx : -1, z > 0 ? i - plane : -1, z < nz - 1 ? i + plane : -1};
      for (int j : nbrs) {
        if (j >= 0 && in[j] == value && label[j] == 0) {
          label[j] = id;
          queue[tail++] = j;
        }
      }
    }
    return tail;
  }
}
