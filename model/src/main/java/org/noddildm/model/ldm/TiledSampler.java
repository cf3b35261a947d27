package org.noddildm.model.ldm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.diffusion.Denoiser;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.Sampler;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.vqgan.TiledCoder;

/**
 * Latent samples of any size from a conditional denoiser, in overlapping cubic tiles: the
 * latent grid is cut into tiles of {@code tile} latent voxels that overlap by {@code overlap},
 * the denoiser sees one tile at a time (all samples of it in one batch), and its outputs are
 * blended at every step with weights that ramp down linearly across the overlap ({@link
 * TiledCoder#ramp}). A latent no larger than a tile is one piece. Latent arrays are laid out
 * (C, nz, ny, nx), x fastest.
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

  /** Batched denoiser calls of one walk over a latent of size {@code n} (x, y, z). */
  public long steps(int[] n, Sampler sampler, int tile, int overlap) {
    requireTiles(tile, overlap);
    return (long) TiledCoder.starts(n[0], tile, overlap).length
        * TiledCoder.starts(n[1], tile, overlap).length
        * TiledCoder.starts(n[2], tile, overlap).length * sampler.timesteps().length;
  }

  /**
   * {@code samples} latents of size {@code n} (x, y, z) drawn together, the tiles blended at
   * every step (as MultiDiffusion, Bar-Tal et al. 2023, does for images): at each step the
   * denoiser sees every tile of every sample's current x_t, all samples of a tile in one batch;
   * its outputs are blended over the overlaps with the ramps of {@link TiledCoder#ramp} into one
   * prediction for the whole latent, and the sampler's update is taken on the whole latent. So
   * a sample is one draw everywhere, seams included (sampling each tile to the end and blending
   * afterwards averages two independent draws in every overlap, which shrinks their spread
   * there), and the batch makes the samples cheaper than one after another. Returned in the
   * scale the net was trained in (the caller removes the latent's scale); x_T of sample s and
   * the sampler's noise come from {@code rng}, sample by sample. {@code progress} gets the
   * batched denoiser calls done so far ({@link #steps} in all).
   */
  public float[][] sampleTogether(float[] cond, int cc, int[] n, int samples, Sampler sampler,
      int tile, int overlap, SplittableRandom rng, IntConsumer progress, NDManager manager) {
    BadArgumentException.require(samples >= 1, "samples: expected >= 1, found " + samples);
    float[][] x = new float[samples][channels * n[0] * n[1] * n[2]];
    for (float[] xs : x) {
      for (int i = 0; i < xs.length; i++) {
        xs[i] = (float) rng.nextGaussian();
      }
    }
    return walkTogether(cond, cc, n, x, sampler, tile, overlap, rng, progress, manager);
  }

  /**
   * The same walk from the given latents {@code start} at the sampler's first step (one per
   * sample, (C, nz, ny, nx) each) instead of fresh noise: e.g. a known latent noised to some
   * step, to see what the denoiser makes of it.
   */
  public float[][] walkTogether(float[] cond, int cc, int[] n, float[][] start, Sampler sampler,
      int tile, int overlap, SplittableRandom rng, IntConsumer progress, NDManager manager) {
    requireTiles(tile, overlap);
    int samples = start.length;
    BadArgumentException.require(n[0] % multiple == 0 && n[1] % multiple == 0
        && n[2] % multiple == 0, "latent: expected sizes that are multiples of " + multiple
        + ", found " + n[0] + " x " + n[1] + " x " + n[2]);
    BadArgumentException.require(cond.length == (long) cc * n[0] * n[1] * n[2], "condition:"
        + " expected " + (long) cc * n[0] * n[1] * n[2] + " values, found " + cond.length);
    int cz = channels;
    int m = n[0] * n[1] * n[2];
    int[][] st = {TiledCoder.starts(n[0], tile, overlap), TiledCoder.starts(n[1], tile, overlap),
        TiledCoder.starts(n[2], tile, overlap)};
    int[] size = {Math.min(tile, n[0]), Math.min(tile, n[1]), Math.min(tile, n[2])};
    int tv = size[0] * size[1] * size[2];
    float[][] ramps = {TiledCoder.ramp(size[0], overlap), TiledCoder.ramp(size[1], overlap),
        TiledCoder.ramp(size[2], overlap)};
    float[][] x = new float[samples][];
    for (int s = 0; s < samples; s++) {
      BadArgumentException.require(start[s].length == cz * m, "start latent: expected "
          + cz * m + " values, found " + start[s].length);
      x[s] = start[s].clone();
    }
    float[] wsum = new float[m];
    float[] ones = new float[tv];
    java.util.Arrays.fill(ones, 1f);
    for (int z0 : st[2]) {
      for (int y0 : st[1]) {
        for (int x0 : st[0]) {
          blendInto(wsum, ones, 0, 1, n, new int[] {x0, y0, z0}, size, ramps);
        }
      }
    }
    GaussianDiffusion diffusion = sampler.diffusion();
    int[] ts = sampler.timesteps();
    int done = 0;
    for (int k = 0; k < ts.length; k++) {
      int t = ts[k];
      int prev = k + 1 < ts.length ? ts[k + 1] : -1;
      float[][] out = new float[samples][cz * m];
      int[] steps = new int[samples];
      java.util.Arrays.fill(steps, t);
      for (int z0 : st[2]) {
        for (int y0 : st[1]) {
          for (int x0 : st[0]) {
            int[] o = {x0, y0, z0};
            float[] c1 = crop(cond, cc, n, o, size);
            float[] cb = new float[samples * c1.length];
            float[] xb = new float[samples * cz * tv];
            for (int s = 0; s < samples; s++) {
              System.arraycopy(c1, 0, cb, s * c1.length, c1.length);
              System.arraycopy(crop(x[s], cz, n, o, size), 0, xb, s * cz * tv, cz * tv);
            }
            float[] pred;
            try (NDManager sm = manager.newSubManager()) {
              pred = denoiser.predict(sm.create(xb, new Shape(samples, cz, size[2], size[1],
                  size[0])), GaussianDiffusion.steps(sm, steps), sm.create(cb, new Shape(
                  samples, cc, size[2], size[1], size[0])), false).toFloatArray();
            }
            for (int s = 0; s < samples; s++) {
              blendInto(out[s], pred, s * cz * tv, cz, n, o, size, ramps);
            }
            if (progress != null) {
              progress.accept(++done);
            }
          }
        }
      }
      for (int s = 0; s < samples; s++) {
        float[] os = out[s];
        for (int c = 0; c < cz; c++) {
          for (int i = 0; i < m; i++) {
            os[c * m + i] /= wsum[i];
          }
        }
        try (NDManager sm = manager.newSubManager()) {
          Shape shape = new Shape(1, cz, n[2], n[1], n[0]);
          NDArray xt = sm.create(x[s], shape);
          x[s] = sampler.step(xt, diffusion.fromOutput(xt, t, sm.create(os, shape)), t, prev,
              rng).toFloatArray();
        }
      }
    }
    return x;
  }

  /**
   * Adds channels {@code 0..channels-1} of a tile (starting at {@code from} in {@code tile}),
   * weighted by the separable ramps, into {@code acc} at the tile's place (a tile of ones adds
   * the weights themselves).
   */
  static void blendInto(float[] acc, float[] tile, int from, int channels, int[] n, int[] o,
      int[] size, float[][] ramps) {
    int m = n[0] * n[1] * n[2];
    int tv = size[0] * size[1] * size[2];
    for (int z = 0; z < size[2]; z++) {
      for (int y = 0; y < size[1]; y++) {
        float wyz = ramps[1][y] * ramps[2][z];
        for (int x = 0; x < size[0]; x++) {
          float w = ramps[0][x] * wyz;
          int i = ((o[2] + z) * n[1] + o[1] + y) * n[0] + o[0] + x;
          int t = from + (z * size[1] + y) * size[0] + x;
          for (int c = 0; c < channels; c++) {
            acc[c * m + i] += w * tile[t + c * tv];
          }
        }
      }
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
}
