package org.noddildm.core.volume;

import org.noddildm.core.BadArgumentException;

/**
 * Moves between a high-resolution volume and its low-resolution grid with the sub-voxels as
 * channels ("space to depth", the sub-pixel layout of Shi et al. 2016, ESPCN): high-res voxel
 * {@code (f x + a, f y + b, f z + c)} of channel k becomes channel
 * {@code k f^3 + a + f b + f^2 c} of low-res voxel {@code (x, y, z)}. A network on the low-res
 * grid then predicts every sub-voxel at the cost of one low-res voxel.
 */
public final class SubVoxels {
  private SubVoxels() {}

  /** {@code hi} (C channels) as C f^3 channels on {@code lo}, whose upsampled grid it is on. */
  public static Volume toChannels(Volume hi, Grid lo, int f) {
    requireShapes(hi.grid(), lo, f);
    int c3 = f * f * f;
    int nl = lo.size();
    float[] out = new float[hi.nt() * c3 * nl];
    shuffle(hi, lo, f, out, true);
    return new Volume(lo, hi.nt() * c3, out);
  }

  /** The inverse of {@link #toChannels}: C f^3 channels on the low grid back onto {@code hi}. */
  public static Volume fromChannels(Volume lowChannels, Grid hi, int f) {
    requireShapes(hi, lowChannels.grid(), f);
    int c3 = f * f * f;
    BadArgumentException.require(lowChannels.nt() % c3 == 0, "sub-voxel channels: expected a"
        + " multiple of " + c3 + ", found " + lowChannels.nt());
    Volume out = Volume.zeros(hi, lowChannels.nt() / c3);
    shuffle(out, lowChannels.grid(), f, lowChannels.data(), false);
    return out;
  }

  private static void shuffle(Volume hi, Grid lo, int f, float[] low, boolean toLow) {
    int c3 = f * f * f;
    int nl = lo.size();
    int nh = hi.grid().size();
    float[] h = hi.data();
    Parallel.forEach(lo.nz(), z -> {
      for (int y = 0; y < lo.ny(); y++) {
        for (int x = 0; x < lo.nx(); x++) {
          int li = lo.index(x, y, z);
          for (int c = 0; c < f; c++) {
            for (int b = 0; b < f; b++) {
              for (int a = 0; a < f; a++) {
                int hiIndex = hi.grid().index(f * x + a, f * y + b, f * z + c);
                int sub = a + f * b + f * f * c;
                for (int k = 0; k < hi.nt(); k++) {
                  int lowIndex = (k * c3 + sub) * nl + li;
                  if (toLow) {
                    low[lowIndex] = h[k * nh + hiIndex];
                  } else {
                    h[k * nh + hiIndex] = low[lowIndex];
                  }
                }
              }
            }
          }
        }
      }
    });
  }

  private static void requireShapes(Grid hi, Grid lo, int f) {
    BadArgumentException.require(f >= 1 && hi.nx() == f * lo.nx() && hi.ny() == f * lo.ny()
        && hi.nz() == f * lo.nz(), "sub-voxels: expected a high-res grid " + f + " times "
        + lo.shape() + ", found " + hi.shape());
  }
}
