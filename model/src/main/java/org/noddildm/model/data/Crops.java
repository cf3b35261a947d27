package org.noddildm.model.data;

import java.util.List;
import java.util.SplittableRandom;
import org.noddildm.core.volume.Volume;

/**
 * Random cubic crops of multi-channel volumes, packed as a batch (B, C, S, S, S) in the layout of
 * the networks (channel, z, y, x with x fastest, which is {@link Volume}'s own order). Parts of a
 * crop outside a small volume are zero.
 */
public final class Crops {
  private Crops() {}

  /** {@code batch} crops of side {@code size} from volumes chosen at random. */
  public static float[] sample(List<Volume> volumes, int batch, int size, SplittableRandom r) {
    int c = volumes.get(0).nt();
    int per = c * size * size * size;
    float[] out = new float[batch * per];
    for (int b = 0; b < batch; b++) {
      Volume v = volumes.get(r.nextInt(volumes.size()));
      int x0 = origin(v.nx(), size, r);
      int y0 = origin(v.ny(), size, r);
      int z0 = origin(v.nz(), size, r);
      copy(v, x0, y0, z0, size, size, size, out, b * per);
    }
    return out;
  }

  private static int origin(int n, int size, SplittableRandom r) {
    return n <= size ? 0 : r.nextInt(n - size + 1);
  }

  /**
   * Copies the box at (x0, y0, z0) of size (sx, sy, sz), all channels, into {@code out} at
   * {@code offset} as (C, sz, sy, sx) with x fastest. The box may start at negative coordinates
   * and reach past the volume: zeros there.
   */
  public static void copy(Volume v, int x0, int y0, int z0, int sx, int sy, int sz, float[] out,
      int offset) {
    float[] d = v.data();
    int nvox = v.nx() * v.ny() * v.nz();
    int i = offset;
    for (int t = 0; t < v.nt(); t++) {
      for (int z = z0; z < z0 + sz; z++) {
        for (int y = y0; y < y0 + sy; y++) {
          boolean inside = z >= 0 && y >= 0 && z < v.nz() && y < v.ny();
          int row = t * nvox + v.nx() * (y + v.ny() * z);
          for (int x = x0; x < x0 + sx; x++) {
            out[i++] = inside && x >= 0 && x < v.nx() ? d[row + x] : 0f;
          }
        }
      }
    }
  }
}
