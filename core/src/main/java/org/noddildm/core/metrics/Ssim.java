package org.noddildm.core.metrics;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * Structural similarity (Wang, Bovik, Sheikh and Simoncelli 2004, "Image quality assessment:
 * from error visibility to structural similarity", IEEE TIP 13:600-612), computed exactly as
 * scikit-image's {@code structural_similarity} on float64 arrays:
 *
 * <pre>
 *   u_x = F(x), u_y = F(y)                      F: uniform (or Gaussian) window filter, 'reflect'
 *   v_x = c (F(x^2) - u_x^2),  v_y = c (F(y^2) - u_y^2),  v_xy = c (F(xy) - u_x u_y)
 *   c = N / (N - 1) with N = win^ndim (sample covariance), or 1
 *   S = (2 u_x u_y + C1)(2 v_xy + C2) / ((u_x^2 + u_y^2 + C1)(v_x + v_y + C2))
 *   C1 = (K1 R)^2, C2 = (K2 R)^2, R the data range
 *   SSIM = mean of S after cropping (win - 1) / 2 voxels from every border
 * </pre>
 *
 * Images of several maps are compared map by map and the SSIMs averaged, as scikit-image does
 * with {@code channel_axis}. The data range R must be given: scikit-image's default for float
 * images (2.0, the float dtype's nominal range) is rarely what a user means.
 */
public final class Ssim {
  private Ssim() {}

  /**
   * The mean SSIM and the full SSIM map (uncropped, as {@code full=True} returns it).
   *
   * @param mean SSIM averaged over the map with the border cropped
   * @param map per-voxel SSIM, same layout as the inputs
   */
  public record Result(double mean, double[] map) {}

  /**
   * SSIM of two 2D or 3D images of {@code shape} (first axis fastest).
   *
   * @param x first image (scikit-image's {@code im1})
   * @param y second image ({@code im2})
   * @param dataRange R, the distance between the smallest and largest possible values
   */
  public static Result compute(double[] x, double[] y, int[] shape, double dataRange,
      SsimOptions o) {
    BadArgumentException.require(x.length == y.length,
        "SSIM: expected images of equal size, found " + x.length + " and " + y.length);
    BadArgumentException.require(dataRange > 0 && Double.isFinite(dataRange),
        "SSIM data range: expected a positive finite value, found " + dataRange);
    for (int n : shape) {
      BadArgumentException.require(n >= o.winSize(),
          "SSIM: expected every image side >= the window size " + o.winSize() + ", found "
              + java.util.Arrays.toString(shape));
    }
    int ndim = shape.length;
    double[] w = o.kernel();
    double np = Math.pow(o.winSize(), ndim);
    double c = o.sampleCovariance() ? np / (np - 1) : 1.0;
    double c1 = Math.pow(o.k1() * dataRange, 2);
    double c2 = Math.pow(o.k2() * dataRange, 2);

    double[] ux = SeparableFilter.apply(x, shape, w);
    double[] uy = SeparableFilter.apply(y, shape, w);
    double[] uxx = SeparableFilter.apply(x, x, shape, w);
    double[] uyy = SeparableFilter.apply(y, y, shape, w);
    double[] uxy = SeparableFilter.apply(x, y, shape, w);

    double[] s = uxx; // reuse the storage of F(x^2) for the map
    Parallel.forChunks(x.length, 1 << 14, (start, end) -> {
      for (int i = start; i < end; i++) {
        double mx = ux[i];
        double my = uy[i];
        double vx = c * (uxx[i] - mx * mx);
        double vy = c * (uyy[i] - my * my);
        double vxy = c * (uxy[i] - mx * my);
        double a1 = 2 * mx * my + c1;
        double a2 = 2 * vxy + c2;
        double b1 = mx * mx + my * my + c1;
        double b2 = vx + vy + c2;
        s[i] = (a1 * a2) / (b1 * b2);
      }
    });
    return new Result(croppedMean(s, shape, (o.winSize() - 1) / 2), s);
  }

  /** SSIM of volume {@code t} of two images on the same grid, as a 3D comparison. */
  public static Result compute(Volume x, Volume y, int t, double dataRange, SsimOptions o) {
    requireSameShape(x, y);
    Volume a = x.volume(t);
    Volume b = y.volume(t);
    return compute(toDouble(a.data()), toDouble(b.data()),
        new int[] {x.nx(), x.ny(), x.nz()}, dataRange, o);
  }

  /**
   * Mean over maps of the per-map SSIM, scikit-image's {@code channel_axis} behaviour, with one
   * data range for every map.
   */
  public static double multiChannel(Volume x, Volume y, double dataRange, SsimOptions o) {
    requireSameShape(x, y);
    double sum = 0;
    for (int t = 0; t < x.nt(); t++) {
      sum += compute(x, y, t, dataRange, o).mean();
    }
    return sum / x.nt();
  }

  /**
   * The mean over the z slices (third storage axis, axial for the usual storage) of the 2D SSIM
   * of each slice: the slice-wise SSIM many super-resolution papers report. Every slice must be
   * at least the window size in x and y.
   */
  public static double slicewise(Volume x, Volume y, int t, double dataRange, SsimOptions o) {
    requireSameShape(x, y);
    int n = x.nx() * x.ny();
    int base = t * x.grid().size();
    double sum = 0;
    for (int z = 0; z < x.nz(); z++) {
      double[] a = new double[n];
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = x.data()[base + z * n + i];
        b[i] = y.data()[base + z * n + i];
      }
      sum += compute(a, b, new int[] {x.nx(), x.ny()}, dataRange, o).mean();
    }
    return sum / x.nz();
  }

  /** Mean of an SSIM map over the voxels of a mask (no border crop): a brain-only SSIM. */
  public static double maskedMean(double[] map, Mask mask) {
    BadArgumentException.require(map.length == mask.grid().size(),
        "masked SSIM: expected a map of " + mask.grid().size() + " voxels, found " + map.length);
    BadArgumentException.require(mask.count() > 0, "masked SSIM: expected a non-empty mask");
    double sum = 0;
    for (int i : mask.indices()) {
      sum += map[i];
    }
    return sum / mask.count();
  }

  static void requireSameShape(Volume x, Volume y) {
    BadArgumentException.require(x.nx() == y.nx() && x.ny() == y.ny() && x.nz() == y.nz()
            && x.nt() == y.nt(),
        "expected images of the same shape, found " + x.shape() + " and " + y.shape());
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** Mean over the region {@code pad..n-1-pad} on every axis (scikit-image's {@code crop}). */
  private static double croppedMean(double[] s, int[] shape, int pad) {
    int n0 = shape[0];
    int n1 = shape[1];
    int n2 = shape.length == 3 ? shape[2] : 1;
    int k0 = shape.length == 3 ? pad : 0;
    int k1 = shape.length == 3 ? n2 - pad : 1;
    double sum = 0;
    long count = 0;
    for (int k = k0; k < k1; k++) {
      for (int j = pad; j < n1 - pad; j++) {
        int base = n0 * (j + n1 * k);
        for (int i = pad; i < n0 - pad; i++) {
          sum += s[base + i];
          count++;
        }
      }
    }
    return sum / count;
  }
}
