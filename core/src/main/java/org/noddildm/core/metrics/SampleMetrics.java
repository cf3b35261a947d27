package org.noddildm.core.metrics;

import java.util.Arrays;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * How to judge samples and an uncertainty map against a truth, map by map, in a mask:
 *
 * <ul>
 *   <li><b>detail</b>: the RMS of the 3D Laplacian (6-neighbour, voxels whose neighbours are
 *       all in the grid) of a map over that of the truth; a regression to the mean is smoother
 *       than the truth (ratio below 1), noise is rougher;</li>
 *   <li><b>texture</b>: the radially averaged power spectrum of a sample's deviation from the
 *       point estimate over that of the truth's deviation from it, in three equal bands of
 *       spatial frequency up to Nyquist. A sample with the truth's texture gives 1 in each band;
 *       white noise of the same Laplacian energy puts too much power at high and too little at
 *       low frequencies;</li>
 *   <li><b>spread-skill</b>: the RMS of the sd over the RMS error of the point estimate (1 for
 *       a calibrated ensemble, as in ensemble weather forecasting, Fortin et al. 2014);</li>
 *   <li><b>rank correlation</b> (Spearman) of the sd with the absolute error of the point
 *       estimate, and the <b>coverage</b> of an interval: the share of voxels whose truth lies
 *       in it.</li>
 * </ul>
 */
public final class SampleMetrics {
  /** Number of frequency bands of {@link #bandPowerRatio}. */
  public static final int BANDS = 3;

  private SampleMetrics() {}

  /** RMS of the Laplacian of volume t over the mask's voxels with all six neighbours. */
  public static double laplacianRms(Volume v, int t, Mask m) {
    int nx = v.nx();
    int ny = v.ny();
    int nz = v.nz();
    double ss = 0;
    long n = 0;
    for (int i : m.indices()) {
      int x = i % nx;
      int y = (i / nx) % ny;
      int z = i / (nx * ny);
      if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1) {
        continue;
      }
      double c = v.at(i, t);
      double l = v.at(i - 1, t) + v.at(i + 1, t) + v.at(i - nx, t) + v.at(i + nx, t)
          + v.at(i - nx * ny, t) + v.at(i + nx * ny, t) - 6 * c;
      ss += l * l;
      n++;
    }
    return n == 0 ? Double.NaN : Math.sqrt(ss / n);
  }

  /** {@link #laplacianRms} of {@code pred} over that of {@code truth}. */
  public static double detailRatio(Volume pred, Volume truth, int t, Mask m) {
    return laplacianRms(pred, t, m) / laplacianRms(truth, t, m);
  }

  /**
   * Power per band of (a - point) over that of (b - point), map t, both set to 0 outside the
   * mask: the texture of a sample a against the truth b around the point estimate.
   */
  public static double[] bandPowerRatio(Volume a, Volume b, Volume point, int t, Mask m) {
    double[] pa = bandPower(a, point, t, m);
    double[] pb = bandPower(b, point, t, m);
    double[] r = new double[BANDS];
    for (int k = 0; k < BANDS; k++) {
      r[k] = pa[k] / pb[k];
    }
    return r;
  }

  /**
   * Mean power |F|^2 of (v - point) (0 outside the mask, zero-padded to powers of two) in three
   * bands of radial frequency f = |(kx/Nx, ky/Ny, kz/Nz)| / 0.5: [0, 1/3), [1/3, 2/3), [2/3, 1];
   * the corners above Nyquist (f > 1) are left out. The mean in each band is over frequencies.
   */
  public static double[] bandPower(Volume v, Volume point, int t, Mask m) {
    int nx = v.nx();
    int ny = v.ny();
    int nz = v.nz();
    int px = Fft.nextPowerOfTwo(nx);
    int py = Fft.nextPowerOfTwo(ny);
    int pz = Fft.nextPowerOfTwo(nz);
    double[] re = new double[px * py * pz];
    double[] im = new double[re.length];
    for (int i : m.indices()) {
      int x = i % nx;
      int y = (i / nx) % ny;
      int z = i / (nx * ny);
      re[x + px * (y + py * z)] = v.at(i, t) - point.at(i, t);
    }
    fft3(re, im, px, py, pz);
    double[] sum = new double[BANDS];
    long[] count = new long[BANDS];
    for (int z = 0; z < pz; z++) {
      double fz = freq(z, pz);
      for (int y = 0; y < py; y++) {
        double fy = freq(y, py);
        for (int x = 0; x < px; x++) {
          double fx = freq(x, px);
          double f = Math.sqrt(fx * fx + fy * fy + fz * fz) / 0.5;
          if (f > 1) {
            continue;
          }
          int band = Math.min(BANDS - 1, (int) (f * BANDS));
          int i = x + px * (y + py * z);
          sum[band] += re[i] * re[i] + im[i] * im[i];
          count[band]++;
        }
      }
    }
    for (int k = 0; k < BANDS; k++) {
      sum[k] /= Math.max(1, count[k]);
    }
    return sum;
  }

  /** RMS of sd over the RMS of (point - truth), map t, in the mask. */
  public static double spreadSkill(Volume sd, Volume point, Volume truth, int t, Mask m) {
    double s = 0;
    double e = 0;
    for (int i : m.indices()) {
      double d = point.at(i, t) - truth.at(i, t);
      s += sd.at(i, t) * (double) sd.at(i, t);
      e += d * d;
    }
    return Math.sqrt(s / e);
  }

  /** Spearman's rank correlation of sd with |point - truth|, map t, in the mask. */
  public static double spearman(Volume sd, Volume point, Volume truth, int t, Mask m) {
    double[][] p = sdAndError(sd, point, truth, t, m);
    return pearson(ranks(p[0]), ranks(p[1]));
  }

  /**
   * Pearson's correlation of sd with |point - truth|, map t, in the mask; NaN when either is
   * flat.
   */
  public static double pearson(Volume sd, Volume point, Volume truth, int t, Mask m) {
    double[][] p = sdAndError(sd, point, truth, t, m);
    return pearson(p[0], p[1]);
  }

  /** The mask's sd values and abs errors of map t, in the mask's order. */
  private static double[][] sdAndError(Volume sd, Volume point, Volume truth, int t, Mask m) {
    int[] idx = m.indices();
    double[] a = new double[idx.length];
    double[] b = new double[idx.length];
    for (int k = 0; k < idx.length; k++) {
      a[k] = sd.at(idx[k], t);
      b[k] = Math.abs(point.at(idx[k], t) - truth.at(idx[k], t));
    }
    return new double[][] {a, b};
  }

  /** Share of the mask's voxels whose truth lies in [lower, upper], map t. */
  public static double coverage(Volume lower, Volume upper, Volume truth, int t, Mask m) {
    int in = 0;
    for (int i : m.indices()) {
      float r = truth.at(i, t);
      if (r >= lower.at(i, t) && r <= upper.at(i, t)) {
        in++;
      }
    }
    return m.count() == 0 ? Double.NaN : in / (double) m.count();
  }

  /**
   * mean + k sd, clipped to the maps' range 0..1: with k = -+1.645 the bounds of the 90% normal
   * interval that an sd implies (clipping changes no coverage, the truth lies in 0..1).
   */
  public static Volume bound(Volume mean, Volume sd, double k) {
    float[] m = mean.data();
    float[] s = sd.data();
    float[] out = new float[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = (float) Math.min(1, Math.max(0, m[i] + k * s[i]));
    }
    return new Volume(mean.grid(), mean.nt(), out);
  }

  /** Ranks 1..n, ties sharing their mean rank. */
  static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (p, q) -> Double.compare(v[p], v[q]));
    double[] r = new double[v.length];
    int i = 0;
    while (i < v.length) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double mean = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = mean;
      }
      i = j + 1;
    }
    return r;
  }

  static double pearson(double[] a, double[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : Double.NaN;
  }

  /** Signed frequency of index k of an n-point transform, in cycles per voxel (-0.5..0.5). */
  private static double freq(int k, int n) {
    return (k <= n / 2 ? k : k - n) / (double) n;
  }

  private static void fft3(double[] re, double[] im, int px, int py, int pz) {
    int[] dims = {px, py, pz};
    int[] strides = {1, px, px * py};
    for (int axis = 0; axis < 3; axis++) {
      int n = dims[axis];
      int st = strides[axis];
      double[] lr = new double[n];
      double[] li = new double[n];
      for (int base = 0; base < re.length; base++) {
        // a line starts where the index along this axis is 0
        if ((base / st) % n != 0) {
          continue;
        }
        for (int k = 0; k < n; k++) {
          lr[k] = re[base + k * st];
          li[k] = im[base + k * st];
        }
        Fft.forward(lr, li);
        for (int k = 0; k < n; k++) {
          re[base + k * st] = lr[k];
          im[base + k * st] = li[k];
        }
      }
    }
  }
}
