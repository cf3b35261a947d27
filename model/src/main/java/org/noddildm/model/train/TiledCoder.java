package org.noddildm.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.vqgan.Vqgan;

/**
 * Whole-volume reconstruction through the VQ-GAN in overlapping cubic tiles, so that any volume
 * size fits in memory. Tile outputs are blended with separable linear ramps over the overlap
 * (weight rising from the tile's edge to 1 at {@code overlap} voxels in), which hides seams.
 * A volume no larger than a tile is done in one piece, zero-padded to a multiple of the
 * downsampling factor.
 */
public final class TiledCoder {
  private TiledCoder() {}

  /** Encode, quantize and decode {@code v} (C channels, normalised) tile by tile. */
  public static Volume reconstruct(Vqgan g, NDManager manager, Volume v, int tile, int overlap) {
    int f = g.config().downFactor();
    int[] n = {v.nx(), v.ny(), v.nz()};
    int[] size = new int[3];
    int[][] starts = new int[3][];
    for (int a = 0; a < 3; a++) {
      size[a] = n[a] <= tile ? roundUp(n[a], f) : tile;
      starts[a] = starts(n[a], size[a], overlap);
    }
    int c = v.nt();
    int nvox = n[0] * n[1] * n[2];
    double[] acc = new double[c * nvox];
    double[] wsum = new double[nvox];
    float[][] ramps = {ramp(size[0], overlap), ramp(size[1], overlap), ramp(size[2], overlap)};
    float[] buf = new float[c * size[0] * size[1] * size[2]];
    for (int z0 : starts[2]) {
      for (int y0 : starts[1]) {
        for (int x0 : starts[0]) {
          Crops.copy(v, x0, y0, z0, size[0], size[1], size[2], buf, 0);
          float[] out;
          try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x = scope.create(buf, new Shape(1, c, size[2], size[1], size[0]));
            out = g.forward(ps, new NDList(x), false).get(0).toFloatArray();
          }
          accumulate(out, x0, y0, z0, size, n, c, ramps, acc, wsum);
        }
      }
    }
    float[] data = new float[c * nvox];
    for (int t = 0; t < c; t++) {
      for (int i = 0; i < nvox; i++) {
        data[t * nvox + i] = (float) (acc[t * nvox + i] / wsum[i]);
      }
    }
    return new Volume(v.grid(), c, data);
  }

  private static void accumulate(float[] out, int x0, int y0, int z0, int[] size, int[] n, int c,
      float[][] ramps, double[] acc, double[] wsum) {
    int nvox = n[0] * n[1] * n[2];
    int tvox = size[0] * size[1] * size[2];
    for (int z = 0; z < size[2] && z0 + z < n[2]; z++) {
      for (int y = 0; y < size[1] && y0 + y < n[1]; y++) {
        for (int x = 0; x < size[0] && x0 + x < n[0]; x++) {
          double w = ramps[0][x] * ramps[1][y] * ramps[2][z];
          int i = (x0 + x) + n[0] * ((y0 + y) + n[1] * (z0 + z));
          int j = x + size[0] * (y + size[1] * z);
          wsum[i] += w;
          for (int t = 0; t < c; t++) {
            acc[t * nvox + i] += w * out[t * tvox + j];
          }
        }
      }
    }
  }

  /** Tile origins along an axis of length n: every (size - overlap), the last one flush. */
  static int[] starts(int n, int size, int overlap) {
    if (n <= size) {
      return new int[] {0};
    }
    int stride = Math.max(1, size - overlap);
    int count = (int) Math.ceil((double) (n - size) / stride) + 1;
    int[] s = new int[count];
    for (int i = 0; i < count; i++) {
      s[i] = Math.min(i * stride, n - size);
    }
    return s;
  }

  /** Blending weights: a linear ramp over {@code overlap} voxels at both ends, 1 inside. */
  static float[] ramp(int size, int overlap) {
    float[] w = new float[size];
    for (int i = 0; i < size; i++) {
      float edge = Math.min(i + 1, size - i);
      w[i] = overlap == 0 ? 1f : Math.min(1f, edge / (overlap + 1f));
    }
    return w;
  }

  private static int roundUp(int n, int f) {
    return (n + f - 1) / f * f;
  }
}
