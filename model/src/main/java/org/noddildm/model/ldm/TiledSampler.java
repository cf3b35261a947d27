package org.noddildm.model.ldm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.diffusion.Denoiser;
import org.noddildm.model.diffusion.Sampler;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.vqgan.TiledCoder;

/**
 * One latent sample of any size from a conditional denoiser, in overlapping cubic tiles: the
 * latent grid is cut into tiles of {@code tile} latent voxels that overlap by {@code overlap};
 * each tile is sampled on its own from the matching crop of one noise field x_T drawn for the
 * whole latent (so overlapping tiles start from the same noise), and the tiles are blended with
 * weights that ramp down linearly across the overlap ({@link TiledCoder#ramp}). A latent no
 * larger than a tile is one piece. Latent arrays are laid out (C, nz, ny, nx), x fastest.
 */
public final class TiledSampler {
  private final Denoiser denoiser;
  private final int channels;
  private final int multiple;

  /** Samples with the (EMA) {@code net}; its parameters live in {@code manager}. */
  public TiledSampler(Unet3d net, NDManager manager) {
    this.denoiser = Denoiser.of(net, new ParameterStore(manager, false));
    this.channels = net.config().channels();
    this.multiple = net.config().sizeMultiple();
  }

  /** Latent sizes must be multiples of this (the U-Net halves its grid). */
  public int sizeMultiple() {
    return multiple;
  }

  /** Denoiser calls of one sample of a latent of size {@code n} (x, y, z). */
  public long steps(int[] n, Sampler sampler, int tile, int overlap) {
    requireTiles(tile, overlap);
    return (long) TiledCoder.starts(n[0], tile, overlap).length
        * TiledCoder.starts(n[1], tile, overlap).length
        * TiledCoder.starts(n[2], tile, overlap).length * sampler.timesteps().length;
  }

  /**
   * One sample of a latent of size {@code n} (x, y, z), given the condition {@code cond}
   * ({@code cc} channels on the same grid), divided by {@code latentScale} (the scale the
   * training latents were multiplied by); x_T and each tile's noise come from {@code rng}.
   * {@code progress} gets the denoiser calls done so far in this sample.
   */
  public float[] sample(float[] cond, int cc, int[] n, double latentScale, Sampler sampler,
      int tile, int overlap, SplittableRandom rng, IntConsumer progress, NDManager manager) {
    requireTiles(tile, overlap);
    BadArgumentException.require(n[0] % multiple == 0 && n[1] % multiple == 0
        && n[2] % multiple == 0, "latent: expected sizes that are multiples of " + multiple
        + ", found " + n[0] + " x " + n[1] + " x " + n[2]);
    BadArgumentException.require(cond.length == (long) cc * n[0] * n[1] * n[2], "condition:"
        + " expected " + (long) cc * n[0] * n[1] * n[2] + " values, found " + cond.length);
    int cz = channels;
    int[][] st = {TiledCoder.starts(n[0], tile, overlap), TiledCoder.starts(n[1], tile, overlap),
        TiledCoder.starts(n[2], tile, overlap)};
    int[] size = {Math.min(tile, n[0]), Math.min(tile, n[1]), Math.min(tile, n[2])};
    boolean single = st[0].length * st[1].length * st[2].length == 1;
    int perTile = sampler.timesteps().length;
    float[] xT = new float[cz * n[0] * n[1] * n[2]];
    for (int i = 0; i < xT.length; i++) {
      xT[i] = (float) rng.nextGaussian();
    }
    float[] acc = new float[xT.length];
    float[] wsum = new float[n[0] * n[1] * n[2]];
    int done = 0;
    for (int z0 : st[2]) {
      for (int y0 : st[1]) {
        for (int x0 : st[0]) {
          int[] o = {x0, y0, z0};
          int base = done;
          float[] tileZ = sampleTile(sampler, crop(cond, cc, n, o, size),
              crop(xT, cz, n, o, size), cz, cc, size, single ? rng : rng.split(),
              progress == null ? null : k -> progress.accept(base + k), manager);
          done += perTile;
          blend(acc, wsum, tileZ, cz, n, o, size, overlap);
        }
      }
    }
    int m = wsum.length;
    for (int c = 0; c < cz; c++) {
      for (int i = 0; i < m; i++) {
        acc[c * m + i] /= (float) (wsum[i] * latentScale);
      }
    }
    return acc;
  }

  private float[] sampleTile(Sampler sampler, float[] cond, float[] xT, int cz, int cc,
      int[] size, SplittableRandom rng, IntConsumer progress, NDManager manager) {
    try (NDManager sm = manager.newSubManager()) {
      NDArray c = sm.create(cond, new Shape(1, cc, size[2], size[1], size[0]));
      NDArray x = sm.create(xT, new Shape(1, cz, size[2], size[1], size[0]));
      return sampler.sample(denoiser, c, x, rng, progress).toFloatArray();
    }
  }

  private void requireTiles(int tile, int overlap) {
    BadArgumentException.require(tile >= multiple && tile % multiple == 0 && overlap >= 0
        && overlap < tile, "latent tiles: expected a tile that is a multiple of " + multiple
        + " and 0 <= overlap < tile, found tile " + tile + ", overlap " + overlap);
  }

  /** A (C, sz, sy, sx) crop of a (C, nz, ny, nx) array. */
  static float[] crop(float[] a, int channels, int[] n, int[] o, int[] size) {
    float[] out = new float[channels * size[0] * size[1] * size[2]];
    int k = 0;
    for (int c = 0; c < channels; c++) {
      for (int z = 0; z < size[2]; z++) {
        for (int y = 0; y < size[1]; y++) {
          int base = ((c * n[2] + o[2] + z) * n[1] + o[1] + y) * n[0] + o[0];
          System.arraycopy(a, base, out, k, size[0]);
          k += size[0];
        }
      }
    }
    return out;
  }

  /** Adds a tile, weighted by the separable overlap ramps, to the running sums. */
  static void blend(float[] acc, float[] wsum, float[] tile, int channels, int[] n,
      int[] o, int[] size, int overlap) {
    float[] wx = TiledCoder.ramp(size[0], overlap);
    float[] wy = TiledCoder.ramp(size[1], overlap);
    float[] wz = TiledCoder.ramp(size[2], overlap);
    int m = n[0] * n[1] * n[2];
    int tv = size[0] * size[1] * size[2];
    for (int z = 0; z < size[2]; z++) {
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++) {
          float w = wx[x] * wy[y] * wz[z];
          int i = ((o[2] + z) * n[1] + o[1] + y) * n[0] + o[0] + x;
          wsum[i] += w;
          int t = (z * size[1] + y) * size[0] + x;
          for (int c = 0; c < channels; c++) {
            acc[c * m + i] += w * tile[c * tv + t];
          }
        }
      }
    }
  }
}
