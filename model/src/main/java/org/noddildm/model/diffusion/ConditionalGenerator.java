package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.vqgan.Vqgan;

/**
 * The whole generative chain on one scan, as the seed system runs it at test time: encode the
 * normalised low-res DMRI with its VQ-GAN, bring its latent onto the NODDI latent grid, sample
 * NODDI latents with the (EMA) denoiser, undo the latent scale, quantize with the NODDI codebook
 * and decode into NDI, ODI, FWF maps on the high-res grid. With several samples it returns the
 * per-voxel mean (clipped to [0, 1], the maps are fractions) and standard deviation.
 *
 * <p>Whole volumes in one piece (fine for phantom-sized brains; tiling in latent space is left
 * to {@code noddi predict}).
 */
public final class ConditionalGenerator {
  private final Vqgan noddi;
  private final Vqgan dwi;
  private final Denoiser denoiser;
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
    this.latentScale = latentScale;
    this.condScale = condScale;
  }

  /**
   * Samples NODDI maps for a normalised low-res scan whose high-res grid is {@code hiGrid}
   * (sizes multiples of the NODDI VQ-GAN factor times the U-Net's size multiple).
   */
  public Maps generate(Volume scan, Grid hiGrid, Sampler sampler, int samples, long seed,
      IntConsumer progress, NDManager manager) {
    int f = noddi.config().downFactor();
    Grid latentGrid = VolumeOps.downsampledGrid(hiGrid, f);
    Volume c = LatentDataset.condition(dwi, scan, latentGrid, manager);
    try (NDManager sm = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(sm, false);
      Shape cs = new Shape(1, c.nt(), latentGrid.nz(), latentGrid.ny(), latentGrid.nx());
      NDArray cond = sm.create(c.data(), cs).mul(condScale);
      Shape zs = new Shape(1, noddi.config().latentDim(), cs.get(2), cs.get(3), cs.get(4));
      SampleSet set = SampleSet.draw(sampler, denoiser, cond, zs, samples, seed,
          z -> noddi.decode(ps, noddi.quantize(ps, z.div(latentScale))), progress);
      float[] mean = set.mean().clip(0f, 1f).toFloatArray();
      float[] std = set.std().toFloatArray();
      int nt = (int) set.mean().getShape().get(1);
      return new Maps(new Volume(hiGrid, nt, mean), new Volume(hiGrid, nt, std), samples);
    }
  }
}
