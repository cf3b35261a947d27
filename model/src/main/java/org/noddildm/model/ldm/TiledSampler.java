package org.noddildm.model.ldm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.diffusion.Denoiser;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.Sampler;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.vqgan.TiledCoder;

/**
 * Latent samples of any size from a conditional denoiser, in overlapping tiles ({@link #tiling}):
 * what needs the denoiser (the whole latent, or the brain's box) is cut into tiles no larger than
 * {@code tile} latent voxels a side that overlap by at least {@code overlap}, the denoiser sees
 * one tile at a time (all samples of it in one batch), and its outputs are blended at every step
 * with weights that ramp down linearly across the overlap ({@link TiledCoder#ramp}). A latent no
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

  /** Batched denoiser calls of one walk over {@code tiling}. */
  public long steps(Tiling tiling, Sampler sampler) {
    return (long) tiling.origins().size() * sampler.timesteps().length;
  }

  /**
   * The tiles of a latent of size {@code n} (x, y, z): no side larger than {@code tile}, where
   * the latent is larger, neighbours overlapping by at least {@code overlap}, and as few and as
   * small as cover what needs the denoiser. With a {@code brain} (one flag per latent voxel, x
   * fastest; null = all of it), that is the brain's bounding box widened by {@link #MARGIN},
   * and tiles without a brain voxel are left out: for a whole head the box is about three
   * quarters of the grid, and tiles sized to it (instead of tiles of the full side that overlap
   * the grid's far end by more than asked) halve the denoiser's work. What no tile covers keeps
   * x_0 = 0: no change to the anchor.
   */
  public Tiling tiling(int[] n, int tile, int overlap, boolean[] brain) {
    requireTiles(tile, overlap);
    BadArgumentException.require(n[0] % multiple == 0 && n[1] % multiple == 0
        && n[2] % multiple == 0, "latent: expected sizes that are multiples of " + multiple
        + ", found " + n[0] + " x " + n[1] + " x " + n[2]);
    BadArgumentException.require(brain == null || brain.length == n[0] * n[1] * n[2],
        "brain: expected " + n[0] * n[1] * n[2] + " latent voxels, found "
        + (brain == null ? 0 : brain.length));
    int[] lo = {0, 0, 0};
    int[] hi = n.clone();
    if (brain != null) {
      int[][] box = box(brain, n);
      if (box == null) {
        return new Tiling(n, new int[] {multiple, multiple, multiple}, List.of(),
            overlap);
      }
      for (int a = 0; a < 3; a++) {
        lo[a] = Math.max(0, box[0][a] - MARGIN);
        hi[a] = Math.min(n[a], box[1][a] + MARGIN);
      }
    }
    int[] size = new int[3];
    int[][] st = new int[3][];
    for (int a = 0; a < 3; a++) {
      int len = hi[a] - lo[a];
      int k = len <= tile ? 1 : (len - overlap + tile - overlap - 1) / (tile - overlap);
      int s = (len + (k - 1) * overlap + k - 1) / k;
      size[a] = Math.min(n[a], (s + multiple - 1) / multiple * multiple);
      st[a] = new int[k];
      for (int i = 0; i < k; i++) {
        int o = k == 1 ? lo[a] + (len - size[a]) / 2
            : lo[a] + (int) Math.round(i * (double) (len - size[a]) / (k - 1));
        st[a][i] = Math.max(0, Math.min(n[a] - size[a], o));
      }
    }
    List<int[]> origins = new ArrayList<>();
    for (int z0 : st[2]) {
      for (int y0 : st[1]) {
        for (int x0 : st[0]) {
          int[] o = {x0, y0, z0};
          if (brain == null || any(brain, n, o, size)) {
            origins.add(o);
          }
        }
      }
    }
    return new Tiling(n, size, List.copyOf(origins), overlap);
  }

  /**
   * Latent voxels (samples times tile voxels) one denoiser call takes at most: the samples of a
   * tile larger than a quarter of this go through in several calls. The net's convolutions
   * need memory in proportion to it (4 samples of 32^3 took about 1 GB on top of the rest), and
   * their time per voxel hardly depends on the batch (bench: 6.7 us per latent voxel for 2 x
   * 32^3, 7.3 for 4 x 32^3 on 2 cores).
   */
  public static final int CALL_VOXELS = 1 << 17;

  /**
   * Latent voxels of context past the brain's bounding box: the net saw crops that end anywhere,
   * so this only keeps the brain's edge away from the tile's zero padding.
   */
  public static final int MARGIN = 2;

  /**
   * Tiles of one {@code size} (x, y, z) at {@code origins} in a latent of size {@code n},
   * blended with ramps over {@code overlap} voxels.
   */
  public record Tiling(int[] n, int[] size, List<int[]> origins, int overlap) {}

  /**
   * {@code samples} latents drawn together, the tiles blended at
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
  public Draws sampleTogether(float[] cond, int cc, Tiling tiling, int samples,
      Sampler sampler, SplittableRandom rng, IntConsumer progress, NDManager manager) {
    BadArgumentException.require(samples >= 1, "samples: expected >= 1, found " + samples);
    int[] n = tiling.n();
    float[][] x = new float[samples][channels * n[0] * n[1] * n[2]];
    for (float[] xs : x) {
      for (int i = 0; i < xs.length; i++) {
        xs[i] = (float) rng.nextGaussian();
      }
    }
    return walkTogether(cond, cc, tiling, x, sampler, rng, progress, manager);
  }

  /**
   * The same walk from the given latents {@code start} at the sampler's first step (one per
   * sample, (C, nz, ny, nx) each) instead of fresh noise: e.g. a known latent noised to some
   * step, to see what the denoiser makes of it.
   */
  public Draws walkTogether(float[] cond, int cc, Tiling tiling, float[][] start,
      Sampler sampler, SplittableRandom rng, IntConsumer progress, NDManager manager) {
    int[] n = tiling.n();
    int samples = start.length;
    BadArgumentException.require(cond.length == (long) cc * n[0] * n[1] * n[2], "condition:"
        + " expected " + (long) cc * n[0] * n[1] * n[2] + " values, found " + cond.length);
    int cz = channels;
    int m = n[0] * n[1] * n[2];
    int[] size = tiling.size();
    int tv = size[0] * size[1] * size[2];
    int batch = Math.max(1, Math.min(samples, CALL_VOXELS / tv));
    float[][] ramps = {TiledCoder.ramp(size[0], tiling.overlap()),
        TiledCoder.ramp(size[1], tiling.overlap()), TiledCoder.ramp(size[2], tiling.overlap())};
    float[][] x = new float[samples][];
    float[] x0Mean = new float[cz * m];
    for (int s = 0; s < samples; s++) {
      BadArgumentException.require(start[s].length == cz * m, "start latent: expected "
          + cz * m + " values, found " + start[s].length);
      x[s] = start[s].clone();
    }
    float[] wsum = new float[m];
    float[] ones = new float[tv];
    Arrays.fill(ones, 1f);
    for (int[] o : tiling.origins()) {
      blendInto(wsum, ones, 0, 1, n, o, size, ramps);
    }
    GaussianDiffusion diffusion = sampler.diffusion();
    int[] ts = sampler.timesteps();
    int done = 0;
    float[][] out = new float[samples][cz * m];
    for (int k = 0; k < ts.length; k++) {
      int t = ts[k];
      int prev = k + 1 < ts.length ? ts[k + 1] : -1;
      for (float[] os : out) {
        Arrays.fill(os, 0f);
      }
      int[] steps = new int[samples];
      Arrays.fill(steps, t);
      for (int[] o : tiling.origins()) {
        float[] c1 = crop(cond, cc, n, o, size);
        for (int s0 = 0; s0 < samples; s0 += batch) {
          int nb = Math.min(batch, samples - s0);
          float[] cb = new float[nb * c1.length];
          float[] xb = new float[nb * cz * tv];
          for (int s = 0; s < nb; s++) {
            System.arraycopy(c1, 0, cb, s * c1.length, c1.length);
            System.arraycopy(crop(x[s0 + s], cz, n, o, size), 0, xb, s * cz * tv, cz * tv);
          }
          float[] pred;
          try (NDManager sm = manager.newSubManager()) {
            pred = denoiser.predict(sm.create(xb, new Shape(nb, cz, size[2], size[1],
                size[0])), GaussianDiffusion.steps(sm, Arrays.copyOf(steps, nb)), sm.create(cb,
                new Shape(nb, cc, size[2], size[1], size[0])), false).toFloatArray();
          }
          for (int s = 0; s < nb; s++) {
            blendInto(out[s0 + s], pred, s * cz * tv, cz, n, o, size, ramps);
          }
        }
        if (progress != null) {
          progress.accept(++done);
        }
      }
      for (int s = 0; s < samples; s++) {
        float[] os = out[s];
        for (int c = 0; c < cz; c++) {
          for (int i = 0; i < m; i++) {
            if (wsum[i] > 0f) {
              os[c * m + i] /= wsum[i];
            }
          }
        }
        try (NDManager sm = manager.newSubManager()) {
          Shape shape = new Shape(1, cz, n[2], n[1], n[0]);
          NDArray xt = sm.create(x[s], shape);
          GaussianDiffusion.Estimate e = diffusion.fromOutput(xt, t, sm.create(os, shape));
          if (k == 0) {
            float[] x0 = e.x0().toFloatArray();
            for (int i = 0; i < x0.length; i++) {
              x0Mean[i] += x0[i] / samples;
            }
          }
          x[s] = sampler.step(xt, e, t, prev, rng).toFloatArray();
        }
      }
    }
    // what no tile covers never reached the denoiser, nor any voxel that did: x_0 = 0 there
    for (int i = 0; i < m; i++) {
      if (wsum[i] == 0f) {
        for (int c = 0; c < cz; c++) {
          x0Mean[c * m + i] = 0f;
          for (float[] xs : x) {
            xs[c * m + i] = 0f;
          }
        }
      }
    }
    return new Draws(x, x0Mean);
  }

  /**
   * The latents a walk ends at, one per sample, and the mean over the samples of the
   * denoiser's estimates of x_0 at its first step. From pure noise at t = T - 1 (DDIM's first
   * step) each of those is one draw of the posterior mean E[x_0 | condition] of the
   * MSE-trained net, so their mean is the posterior-mean estimate, for free.
   */
  public record Draws(float[][] samples, float[] meanX0AtStart) {}

  /** The bounding box {lo, hi (exclusive)} (x, y, z) of the flagged voxels; null if none. */
  private static int[][] box(boolean[] flags, int[] n) {
    int[] lo = {n[0], n[1], n[2]};
    int[] hi = {0, 0, 0};
    int i = 0;
    for (int z = 0; z < n[2]; z++) {
      for (int y = 0; y < n[1]; y++) {
        for (int x = 0; x < n[0]; x++, i++) {
          if (flags[i]) {
            int[] v = {x, y, z};
            for (int a = 0; a < 3; a++) {
              lo[a] = Math.min(lo[a], v[a]);
              hi[a] = Math.max(hi[a], v[a] + 1);
            }
          }
        }
      }
    }
    return hi[0] == 0 ? null : new int[][] {lo, hi};
  }

  /** Whether any voxel of the box at {@code o} of {@code size} is flagged. */
  private static boolean any(boolean[] flags, int[] n, int[] o, int[] size) {
    for (int z = o[2]; z < o[2] + size[2]; z++) {
      for (int y = o[1]; y < o[1] + size[1]; y++) {
        int base = (z * n[1] + y) * n[0];
        for (int x = o[0]; x < o[0] + size[0]; x++) {
          if (flags[base + x]) {
            return true;
          }
        }
      }
    }
    return false;
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
