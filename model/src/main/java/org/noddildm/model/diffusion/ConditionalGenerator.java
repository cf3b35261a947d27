package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.train.TiledCoder;
import org.noddildm.model.vqgan.Vqgan;

/**
 * The whole generative chain on one scan, as CLDM (github.com/guchengzhong/CLDM) runs it at
 * test time: encode the
 * scan's shell features (on the high-res grid) with the DMRI VQ-GAN, sample NODDI latents with
 * the (EMA) denoiser, undo the latent scale, quantize with the NODDI codebook and decode into
 * NDI, ODI, FWF maps on the high-res grid. With several samples it returns the per-voxel mean
 * (clipped to [0, 1], the maps are fractions) and population standard deviation.
 *
 * <p>Any brain size: the latent grid is cut into cubic tiles of {@code tile} latent voxels that
 * overlap by {@code overlap}; each tile is sampled on its own from the matching crop of one
 * noise field x_T drawn for the whole latent (so overlapping tiles start from the same noise),
 * and the tiles are blended with weights that ramp down linearly across the overlap. Encoding
 * and decoding go through {@link TiledCoder}. A latent no larger than a tile is one piece.
 */
public final class ConditionalGenerator {
  /** Default latent tile (64 high-res voxels at factor 4) and overlap. */
  public static final int TILE = 16;
  public static final int OVERLAP = 4;

  private final Vqgan noddi;
  private final Vqgan dwi;
  private final Denoiser denoiser;
  private final int multiple;
  private final double latentScale;
  private final double condScale;

  /** Maps and their per-voxel spread on the high-res grid (3 volumes each). */
  public record Maps(Volume mean, Volume std, int samples) {}

  public ConditionalGenerator(Vqgan noddi, Vqgan dwi, Unet3d net, double latentScale,
      double condScale, NDManager manager) {
    BadArgumentException.require(latentScale > 0 && condScale > 0, "latent scales: expected"
        + " positive, found " + latentScale + ", " + condScale);
    BadArgumentException.require(net.config().channels() == noddi.config().latentDim()
        && net.config().condChannels() == dwi.config().latentDim(), "LDM: expected "
        + noddi.config().latentDim() + " + " + dwi.config().latentDim() + " latent channels"
        + " (the VQ-GANs'), found " + net.config().channels() + " + "
        + net.config().condChannels());
    this.noddi = noddi;
    this.dwi = dwi;
    this.denoiser = Denoiser.of(net, new ParameterStore(manager, false));
    this.multiple = net.config().sizeMultiple();
    this.latentScale = latentScale;
    this.condScale = condScale;
  }

  /** Whole-volume sampling in one piece up to {@link #TILE} latent voxels per axis. */
  public Maps generate(Volume features, Grid hiGrid, Sampler sampler, int samples, long seed,
      IntConsumer progress, NDManager manager) {
    return generate(features, hiGrid, sampler, samples, seed, TILE, OVERLAP, progress, manager);
  }

  /** Sampling steps over all tiles and samples, for a progress bar. */
  public long totalSteps(Grid hiGrid, Sampler sampler, int samples, int tile, int overlap) {
    int[] n = latentSize(hiGrid);
    long tiles = (long) starts(n[0], tile, overlap).length * starts(n[1], tile, overlap).length
        * starts(n[2], tile, overlap).length;
    return tiles * samples * sampler.timesteps().length;
  }

  /**
   * Samples NODDI maps for a scan's features ({@code DwiCondition.features}, on the high-res
   * grid {@code hiGrid}), tiling the latent grid ({@code tile}, {@code overlap} in latent voxels).
   * Sizes that are not multiples of the VQ-GAN factor times the U-Net's size multiple are
   * zero-padded at the high end and cropped back.
   */
  public Maps generate(Volume features, Grid hiGrid, Sampler sampler, int samples, long seed,
      int tile, int overlap, IntConsumer progress, NDManager manager) {
    BadArgumentException.require(samples >= 1, "samples: expected >= 1, found " + samples);
    BadArgumentException.require(tile >= multiple && tile % multiple == 0 && overlap >= 0
        && overlap < tile, "latent tiles: expected a tile that is a multiple of " + multiple
        + " and 0 <= overlap < tile, found tile " + tile + ", overlap " + overlap);
    int f = noddi.config().downFactor();
    int[] n = latentSize(hiGrid);
    Volume padded = VolumeOps.cropOrPad(features, 0, 0, 0, n[0] * f, n[1] * f, n[2] * f, 0f);
    Grid latentGrid = VolumeOps.downsampledGrid(padded.grid(), f);
    float[] cond = LatentDataset.condition(dwi, padded, latentGrid, manager).data();
    for (int i = 0; i < cond.length; i++) {
      cond[i] *= (float) condScale;
    }
    int cz = noddi.config().latentDim();
    int cc = dwi.config().latentDim();
    int[][] st = {starts(n[0], tile, overlap), starts(n[1], tile, overlap),
        starts(n[2], tile, overlap)};
    int[] size = {Math.min(tile, n[0]), Math.min(tile, n[1]), Math.min(tile, n[2])};
    boolean single = st[0].length * st[1].length * st[2].length == 1;
    int perTile = sampler.timesteps().length;
    int hiN = hiGrid.size();
    // running mean and sum of squared deviations (Welford 1962): exact 0 spread for equal samples
    float[] mean = new float[3 * hiN];
    float[] m2 = new float[3 * hiN];
    SplittableRandom root = new SplittableRandom(seed);
    int[] done = {0};
    for (int s = 0; s < samples; s++) {
      SplittableRandom rng = root.split();
      float[] xT = new float[cz * n[0] * n[1] * n[2]];
      for (int i = 0; i < xT.length; i++) {
        xT[i] = (float) rng.nextGaussian();
      }
      float[] acc = new float[xT.length];
      float[] wsum = new float[n[0] * n[1] * n[2]];
      for (int z0 : st[2]) {
        for (int y0 : st[1]) {
          for (int x0 : st[0]) {
            int[] o = {x0, y0, z0};
            float[] tileZ = sampleTile(sampler, crop(cond, cc, n, o, size),
                crop(xT, cz, n, o, size), cz, cc, size, single ? rng : rng.split(),
                progress == null ? null : k -> progress.accept(done[0] + k), manager);
            done[0] += perTile;
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
      Volume maps = TiledCoder.decode(noddi, manager, new Volume(latentGrid, cz, acc), TILE,
          OVERLAP);
      Volume cropped = VolumeOps.cropOrPad(maps, 0, 0, 0, hiGrid.nx(), hiGrid.ny(),
          hiGrid.nz(), 0f);
      float[] y = cropped.data();
      int count = s + 1;
      for (int i = 0; i < mean.length; i++) {
        float d = y[i] - mean[i];
        mean[i] += d / count;
        m2[i] += d * (y[i] - mean[i]);
      }
    }
    float[] std = new float[mean.length];
    for (int i = 0; i < mean.length; i++) {
      std[i] = (float) Math.sqrt(Math.max(0, m2[i] / samples));
      mean[i] = Math.max(0f, Math.min(1f, mean[i]));
    }
    return new Maps(new Volume(hiGrid, 3, mean), new Volume(hiGrid, 3, std), samples);
  }

  private float[] sampleTile(Sampler sampler, float[] cond, float[] xT, int cz, int cc,
      int[] size, SplittableRandom rng, IntConsumer progress, NDManager manager) {
    try (NDManager sm = manager.newSubManager()) {
      NDArray c = sm.create(cond, new Shape(1, cc, size[2], size[1], size[0]));
      NDArray x = sm.create(xT, new Shape(1, cz, size[2], size[1], size[0]));
      return sampler.sample(denoiser, c, x, rng, progress).toFloatArray();
    }
  }

  /** The latent grid size (x, y, z) for {@code hiGrid}, padded to the sizes the nets need. */
  private int[] latentSize(Grid hiGrid) {
    int f = noddi.config().downFactor();
    int q = f * multiple;
    return new int[] {(hiGrid.nx() + q - 1) / q * multiple, (hiGrid.ny() + q - 1) / q * multiple,
        (hiGrid.nz() + q - 1) / q * multiple};
  }

  /** Tile origins; the last tile is flush with the end (sizes are multiples of the U-Net's). */
  private int[] starts(int n, int tile, int overlap) {
    return TiledCoder.starts(n, tile, overlap);
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
