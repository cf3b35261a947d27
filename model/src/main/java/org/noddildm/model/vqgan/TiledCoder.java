package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.function.BiFunction;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.data.Crops;

/**
 * Whole-volume use of the VQ-GAN in overlapping cubic tiles, so that any volume size fits in
 * memory: {@link #reconstruct} (image to image), {@link #encode} (image to continuous latent on
 * the grid {@code f} times coarser) and {@link #decode} (latent to image). Tile outputs are
 * blended with separable linear ramps over the overlap (weights rising from a tile's edge to 1
 * at {@code overlap} voxels in), which hides seams. A volume no larger than a tile is done in one
 * piece, zero-padded to a multiple of the downsampling factor f.
 */
public final class TiledCoder {
  private TiledCoder() {}

  /** Encode, quantize and decode {@code v} (C channels, normalised) tile by tile. */
  public static Volume reconstruct(Vqgan g, NDManager manager, Volume v, int tile, int overlap) {
    int f = g.config().downFactor();
    float[] out = tiled(v, tile, overlap, f, 1, 1, v.nt(), manager,
        (ps, x) -> g.forward(ps, new NDList(x), false).get(0));
    return new Volume(v.grid(), v.nt(), out);
  }

  /**
   * The continuous latent z_e of {@code v} (before quantization), on the grid of {@code v}
   * padded to a multiple of f and downsampled by f. Tile and overlap (image voxels) must be
   * multiples of f.
   */
  public static Volume encode(Vqgan g, NDManager manager, Volume v, int tile, int overlap) {
    int f = g.config().downFactor();
    requireMultiples(f, tile, overlap);
    Volume padded = padTo(v, f);
    float[] out = tiled(padded, tile, overlap, f, 1, f, g.config().latentDim(), manager,
        (ps, x) -> g.encode(ps, x));
    return new Volume(VolumeOps.downsampledGrid(padded.grid(), f), g.config().latentDim(), out);
  }

  /**
   * Quantizes and decodes a latent (latentDim channels) to an image on the grid f times finer.
   * Tile and overlap are in latent voxels.
   */
  public static Volume decode(Vqgan g, NDManager manager, Volume latent, int tile, int overlap) {
    int f = g.config().downFactor();
    float[] out = tiled(latent, tile, overlap, 1, f, 1, g.config().inChannels(), manager,
        (ps, z) -> g.decode(ps, g.quantize(ps, z)));
    return new Volume(VolumeOps.upsampledGrid(latent.grid(), f), g.config().inChannels(), out);
  }

  /**
   * Decodes a continuous latent (latentDim channels) without quantizing it, to an image on the
   * grid f times finer: the decoder as a smooth function of the latent, for differences such as
   * D(z + delta) - D(z). Tile and overlap are in latent voxels.
   */
  public static Volume decodeContinuous(Vqgan g, NDManager manager, Volume latent, int tile,
      int overlap) {
    int f = g.config().downFactor();
    float[] out = tiled(latent, tile, overlap, 1, f, 1, g.config().inChannels(), manager,
        (ps, z) -> g.decode(ps, z));
    return new Volume(VolumeOps.upsampledGrid(latent.grid(), f), g.config().inChannels(), out);
  }

  /**
   * Runs {@code fn} over tiles of {@code v}; the output has {@code cOut} channels and each axis
   * scaled by {@code mul / div}. Tile sizes are rounded up to a multiple of {@code align}.
   */
  static float[] tiled(Volume v, int tile, int overlap, int align, int mul, int div,
      int cOut, NDManager manager, BiFunction<ParameterStore, NDArray, NDArray> fn) {
    int[] n = {v.nx(), v.ny(), v.nz()};
    int[] size = new int[3];
    int[] outSize = new int[3];
    int[] outN = new int[3];
    int[][] starts = new int[3][];
    float[][] ramps = new float[3][];
    for (int a = 0; a < 3; a++) {
      size[a] = n[a] <= tile ? roundUp(n[a], align) : tile;
      starts[a] = starts(n[a], size[a], overlap);
      outSize[a] = size[a] * mul / div;
      outN[a] = n[a] * mul / div;
      ramps[a] = ramp(outSize[a], overlap * mul / div);
    }
    int c = v.nt();
    int nvox = outN[0] * outN[1] * outN[2];
    double[] acc = new double[cOut * nvox];
    double[] wsum = new double[nvox];
    float[] buf = new float[c * size[0] * size[1] * size[2]];
    for (int z0 : starts[2]) {
      for (int y0 : starts[1]) {
        for (int x0 : starts[0]) {
          Crops.copy(v, x0, y0, z0, size[0], size[1], size[2], buf, 0);
          float[] out;
          try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray x = scope.create(buf, new Shape(1, c, size[2], size[1], size[0]));
            out = fn.apply(ps, x).toFloatArray();
          }
          int[] o = {x0 * mul / div, y0 * mul / div, z0 * mul / div};
          accumulate(out, o, outSize, outN, cOut, ramps, acc, wsum);
        }
      }
    }
    float[] data = new float[cOut * nvox];
    for (int t = 0; t < cOut; t++) {
      for (int i = 0; i < nvox; i++) {
        data[t * nvox + i] = (float) (acc[t * nvox + i] / wsum[i]);
      }
    }
    return data;
  }

  private static void accumulate(float[] out, int[] o, int[] size, int[] n, int c,
      float[][] ramps, double[] acc, double[] wsum) {
    int nvox = n[0] * n[1] * n[2];
    int tvox = size[0] * size[1] * size[2];
    for (int z = 0; z < size[2] && o[2] + z < n[2]; z++) {
      for (int y = 0; y < size[1] && o[1] + y < n[1]; y++) {
        for (int x = 0; x < size[0] && o[0] + x < n[0]; x++) {
          double w = ramps[0][x] * ramps[1][y] * ramps[2][z];
          int i = (o[0] + x) + n[0] * ((o[1] + y) + n[1] * (o[2] + z));
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
  public static int[] starts(int n, int size, int overlap) {
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
  public static float[] ramp(int size, int overlap) {
    float[] w = new float[size];
    for (int i = 0; i < size; i++) {
      float edge = Math.min(i + 1, size - i);
      w[i] = overlap == 0 ? 1f : Math.min(1f, edge / (overlap + 1f));
    }
    return w;
  }

  /** {@code v} zero-padded at the high end of each axis to a multiple of f. */
  public static Volume padTo(Volume v, int f) {
    int px = roundUp(v.nx(), f);
    int py = roundUp(v.ny(), f);
    int pz = roundUp(v.nz(), f);
    if (px == v.nx() && py == v.ny() && pz == v.nz()) {
      return v;
    }
    float[] d = new float[v.nt() * px * py * pz];
    Crops.copy(v, 0, 0, 0, px, py, pz, d, 0);
    return new Volume(new Grid(px, py, pz, v.grid().affine()), v.nt(), d);
  }

  private static void requireMultiples(int f, int tile, int overlap) {
    BadArgumentException.require(tile % f == 0 && overlap % f == 0, "tiles: expected tile and"
        + " overlap multiples of the downsampling factor " + f + ", found " + tile + " and "
        + overlap);
  }

  private static int roundUp(int n, int f) {
    return (n + f - 1) / f * f;
  }
}
