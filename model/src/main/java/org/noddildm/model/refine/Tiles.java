package org.noddildm.model.refine;

import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/** Boxes of a volume with zero padding beyond its edges, and pasting their cores back. */
final class Tiles {
  private Tiles() {}

  /**
   * All channels of the box {@code {x0, y0, z0, sx, sy, sz}} (origin may be negative, the box
   * may reach past the volume: zeros there), as (C, sz, sy, sx) with x fastest.
   */
  static float[] crop(Volume v, int[] box) {
    int sx = box[3];
    int sy = box[4];
    int sz = box[5];
    float[] out = new float[v.nt() * sx * sy * sz];
    int n = v.grid().size();
    float[] d = v.data();
    for (int t = 0; t < v.nt(); t++) {
      for (int z = 0; z < sz; z++) {
        int gz = box[2] + z;
        if (gz < 0 || gz >= v.nz()) {
          continue;
        }
        for (int y = 0; y < sy; y++) {
          int gy = box[1] + y;
          if (gy < 0 || gy >= v.ny()) {
            continue;
          }
          int row = t * n + v.nx() * (gy + v.ny() * gz);
          int o = ((t * sz + z) * sy + y) * sx;
          for (int x = 0; x < sx; x++) {
            int gx = box[0] + x;
            if (gx >= 0 && gx < v.nx()) {
              out[o + x] = d[row + gx];
            }
          }
        }
      }
    }
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
