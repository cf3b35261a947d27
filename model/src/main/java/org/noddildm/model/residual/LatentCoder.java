package org.noddildm.model.residual;

import ai.djl.ndarray.NDManager;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * The latent space the diffusion model built on the refiner works in: an encoder E from the 3
 * maps on the high-res grid to {@link #channels} channels on a grid {@link #factor} times
 * coarser, and a decoder D back. {@link ResidualDiffusion} samples latent residuals delta and
 * returns r + D(E(r) + delta) - D(E(r)), so only the decoder's response to delta matters: a
 * decoder that cannot draw the truth's detail caps what any sampler of its latent can add.
 */
public interface LatentCoder {
  /** The value of {@code data.latent} of a model in the NODDI VQ-GAN's latent. */
  String VQGAN = "vqgan";
  /** The value of {@code data.latent} of a model in the sub-voxel latent. */
  String SUBVOXEL = "subvoxel";

  /** What it is, as {@code data.latent} in model.json records it. */
  String kind();

  /** High-res voxels per latent voxel along each axis. */
  int factor();

  /** Latent channels. */
  int channels();

  /**
   * Groups of consecutive channels that get a scale of their own in training ({@link
   * ResidualLatents}): channels that hold one kind of value. One unless the latent says.
   */
  default int scaleGroups() {
    return 1;
  }

  /**
   * The latent of {@code maps} (3 volumes), zero-padded at the end to {@code latentSize} (x, y,
   * z) times {@link #factor}; the latent grid is {@code latentSize}.
   */
  Volume encode(Volume maps, int[] latentSize, NDManager manager);

  /** The maps of latent {@code z} (no quantization), cropped to {@code hi}. */
  float[] decode(Volume z, Grid hi, NDManager manager);

  /**
   * r + D(z_r + delta) - D(z_r): the maps {@code refined} moved by the latent residual
   * {@code delta}, with {@code zr} = E(r) and {@code base} = D(z_r) on r's grid.
   */
  default float[] shifted(Volume refined, Volume zr, float[] delta, float[] base,
      NDManager manager) {
    float[] z = zr.data().clone();
    for (int i = 0; i < z.length; i++) {
      z[i] += delta[i];
    }
    float[] y = decode(new Volume(zr.grid(), zr.nt(), z), refined.grid(), manager);
    float[] r = refined.data();
    for (int i = 0; i < y.length; i++) {
      y[i] = r[i] + y[i] - base[i];
    }
    return y;
  }
}
