package org.noddildm.model.ldm;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.diffusion.Sampler;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.vqgan.TiledCoder;
import org.noddildm.model.vqgan.Vqgan;

/**
 * The whole generative chain on one scan, as CLDM (github.com/guchengzhong/CLDM) runs it at
 * test time: encode the
 * scan's shell features (on the high-res grid) with the DMRI VQ-GAN, sample NODDI latents with
 * the (EMA) denoiser, undo the latent scale, quantize with the NODDI codebook and decode into
 * NDI, ODI, FWF maps on the high-res grid. With several samples it returns the per-voxel mean
 * (clipped to [0, 1], the maps are fractions) and population standard deviation.
 *
 * <p>Any brain size: the latent is sampled in overlapping tiles ({@link TiledSampler}). Encoding
 * and decoding go through {@link TiledCoder}. A latent no larger than a tile is one piece.
 */
public final class ConditionalGenerator {
  /** Default latent tile (64 high-res voxels at factor 4) and overlap. */
  public static final int TILE = 16;
  public static final int OVERLAP = 4;
  /** Tile side and overlap (image voxels) of the encoders; multiples of the factor 4. */
  static final int ENCODE_TILE = 64;
  static final int ENCODE_OVERLAP = 16;

  private final Vqgan noddi;
  private final Vqgan dwi;
  private final TiledSampler tiles;
  private final int multiple;
  private final double latentScale;
  private final double condScale;

  /**
   * Maps and their per-voxel spread on the high-res grid (3 volumes each); with one sample,
   * {@code center} is the posterior-mean estimate it was drawn around, when the sampler knows
   * it (else null).
   */
  public record Maps(Volume mean, Volume std, int samples, Volume center) {
    /** Maps without a center. */
    public Maps(Volume mean, Volume std, int samples) {
      this(mean, std, samples, null);
    }
  }

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
    this.tiles = new TiledSampler(net, manager);
    this.multiple = tiles.sizeMultiple();
    this.latentScale = latentScale;
    this.condScale = condScale;
  }

  /** Whole-volume sampling in one piece up to {@link #TILE} latent voxels per axis. */
  public Maps generate(Volume features, Grid hiGrid, Sampler sampler, int samples, long seed,
      IntConsumer progress, NDManager manager) {
    return generate(features, hiGrid, sampler, samples, seed, TILE, OVERLAP, progress, manager);
  }

  /** Batched denoiser calls over all tiles (the samples go together), for a progress bar. */
  public long totalSteps(Grid hiGrid, Sampler sampler, int tile, int overlap) {
    return tiles.steps(tiles.tiling(latentSize(hiGrid), tile, overlap, null), sampler);
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
    int f = noddi.config().downFactor();
    int[] n = latentSize(hiGrid);
    Volume padded = VolumeOps.cropOrPad(features, 0, 0, 0, n[0] * f, n[1] * f, n[2] * f, 0f);
    Grid latentGrid = VolumeOps.downsampledGrid(padded.grid(), f);
    float[] cond = conditionLatent(dwi, padded, latentGrid, manager).data();
    for (int i = 0; i < cond.length; i++) {
      cond[i] *= (float) condScale;
    }
    int cc = dwi.config().latentDim();
    int cz = noddi.config().latentDim();
    SampleMoments moments = new SampleMoments(3 * hiGrid.size());
    for (float[] z : tiles.sampleTogether(cond, cc, tiles.tiling(n, tile, overlap, null),
        samples, sampler, new SplittableRandom(seed), progress, manager).samples()) {
      float[] acc = LatentScale.apply(z, 1 / latentScale);
      Volume maps = TiledCoder.decode(noddi, manager, new Volume(latentGrid, cz, acc), TILE,
          OVERLAP);
      Volume cropped = VolumeOps.cropOrPad(maps, 0, 0, 0, hiGrid.nx(), hiGrid.ny(),
          hiGrid.nz(), 0f);
      moments.add(cropped.data());
    }
    float[] mean = moments.mean();
    for (int i = 0; i < mean.length; i++) {
      mean[i] = Math.max(0f, Math.min(1f, mean[i]));
    }
    return new Maps(new Volume(hiGrid, 3, mean), new Volume(hiGrid, 3, moments.std()), samples);
  }

  /**
   * The unscaled condition latent of a scan's features ({@link DwiCondition#features}, on the
   * high-res grid) on {@code latentGrid} (the NODDI latent grid): z_e of the DMRI VQ-GAN,
   * resampled trilinearly if the grids differ (same field of view).
   */
  public static Volume conditionLatent(Vqgan dwi, Volume scan, Grid latentGrid,
      NDManager manager) {
    // any scan size: TiledCoder pads to a multiple of f at the high end, which keeps the
    // voxel-to-world mapping, and the resampling goes through world coordinates
    Volume zc = TiledCoder.encode(dwi, manager, scan, ENCODE_TILE, ENCODE_OVERLAP);
    if (zc.grid().sameSize(latentGrid)) {
      return new Volume(latentGrid, zc.nt(), zc.data());
    }
    return VolumeOps.resampleTrilinear(zc, latentGrid, 0f);
  }

  /** The latent grid size (x, y, z) for {@code hiGrid}, padded to the sizes the nets need. */
  private int[] latentSize(Grid hiGrid) {
    int f = noddi.config().downFactor();
    int q = f * multiple;
    return new int[] {(hiGrid.nx() + q - 1) / q * multiple, (hiGrid.ny() + q - 1) / q * multiple,
        (hiGrid.nz() + q - 1) / q * multiple};
  }
}
