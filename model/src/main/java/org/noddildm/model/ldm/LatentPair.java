package org.noddildm.model.ldm;

import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;

/**
 * One training subject in latent space: the NODDI latent x_0 and the DWI condition latent on
 * the same grid, each laid out as an array (C, D, H, W) with W fastest (the layout of an
 * NDArray of that shape).
 *
 * @param x0 the clean latent, {@code channels * d * h * w} values
 * @param cond the condition latent, {@code condChannels * d * h * w} values
 */
public record LatentPair(float[] x0, int channels, float[] cond, int condChannels, int d, int h,
    int w) {

  public LatentPair {
    long n = (long) d * h * w;
    BadArgumentException.require(d >= 1 && h >= 1 && w >= 1, "latent grid: expected sizes >= 1,"
        + " found " + d + " x " + h + " x " + w);
    BadArgumentException.require(x0 != null && x0.length == channels * n, "latent x0: expected "
        + channels * n + " values, found " + (x0 == null ? 0 : x0.length));
    BadArgumentException.require(cond != null && cond.length == condChannels * n,
        "condition latent: expected " + condChannels * n + " values, found "
            + (cond == null ? 0 : cond.length));
  }

  /**
   * Copies a random cubic crop of side {@code c} into {@code x0Out} / {@code condOut} at batch
   * position {@code b} (arrays of shape (B, C, c, c, c)).
   */
  void cropInto(int c, SplittableRandom rng, float[] x0Out, float[] condOut, int b) {
    BadArgumentException.require(c <= d && c <= h && c <= w, "latent crop: expected at most the"
        + " latent grid " + d + " x " + h + " x " + w + ", found " + c);
    int z0 = rng.nextInt(d - c + 1);
    int y0 = rng.nextInt(h - c + 1);
    int x0i = rng.nextInt(w - c + 1);
    copy(x0, channels, x0Out, b, c, z0, y0, x0i);
    copy(cond, condChannels, condOut, b, c, z0, y0, x0i);
  }

  private void copy(float[] src, int ch, float[] dst, int b, int c, int z0, int y0, int x0i) {
    for (int k = 0; k < ch; k++) {
      for (int z = 0; z < c; z++) {
        for (int y = 0; y < c; y++) {
          int from = ((k * d + z0 + z) * h + y0 + y) * w + x0i;
          int to = ((b * ch + k) * c + z) * c * c + y * c;
          System.arraycopy(src, from, dst, to, c);
        }
      }
    }
  }
}
