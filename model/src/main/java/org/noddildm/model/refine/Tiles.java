package org.noddildm.model.refine;

import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.data.Crops;

/** Boxes of a volume with zero padding beyond its edges, and pasting their cores back. */
final class Tiles {
  private Tiles() {}

  /**
   * All channels of the box {@code {x0, y0, z0, sx, sy, sz}} (origin may be negative, the box
   * may reach past the volume: zeros there), as (C, sz, sy, sx) with x fastest.
   */
  static float[] crop(Volume v, int[] box) {
    float[] out = new float[v.nt() * box[3] * box[4] * box[5]];
    Crops.copy(v, box[0], box[1], box[2], box[3], box[4], box[5], out, 0);
    return out;
  }

  /** Copies the core of a box result (the box without {@code h} voxels on each side) into out. */
  static void paste(float[] tile, int[] box, int h, Grid g, int channels, float[] out) {
    int sx = box[3];
    int sy = box[4];
    int sz = box[5];
    int n = g.size();
    for (int c = 0; c < channels; c++) {
      for (int z = h; z < sz - h; z++) {
        int gz = box[2] + z;
        for (int y = h; y < sy - h; y++) {
          int gy = box[1] + y;
          for (int x = h; x < sx - h; x++) {
            out[c * n + g.index(box[0] + x, gy, gz)] = tile[((c * sz + z) * sy + y) * sx + x];
          }
        }
      }
    }
  }
}
