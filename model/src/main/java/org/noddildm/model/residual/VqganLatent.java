package org.noddildm.model.residual;

import ai.djl.ndarray.NDManager;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.vqgan.TiledCoder;
import org.noddildm.model.vqgan.Vqgan;

/**
 * The NODDI VQ-GAN's continuous latent (no quantization), coded in overlapping tiles.
 *
 * @param vqgan the NODDI autoencoder
 */
public record VqganLatent(Vqgan vqgan) implements LatentCoder {
  /** Encoder tiles and overlap (image voxels), as in training. */
  static final int ENCODE_TILE = 64;
  static final int ENCODE_OVERLAP = 16;

  @Override
  public String kind() {
    return VQGAN;
  }

  @Override
  public int factor() {
    return vqgan.config().downFactor();
  }

  @Override
  public int channels() {
    return vqgan.config().latentDim();
  }

  @Override
  public Volume encode(Volume maps, int[] n, NDManager manager) {
    int f = factor();
    Volume padded = VolumeOps.cropOrPad(maps, 0, 0, 0, n[0] * f, n[1] * f, n[2] * f, 0f);
    return TiledCoder.encode(vqgan, manager, padded, ENCODE_TILE, ENCODE_OVERLAP);
  }

  @Override
  public float[] decode(Volume z, Grid hi, NDManager manager) {
    Volume maps = TiledCoder.decodeContinuous(vqgan, manager, z, ConditionalGenerator.TILE,
        ConditionalGenerator.OVERLAP);
    return VolumeOps.cropOrPad(maps, 0, 0, 0, hi.nx(), hi.ny(), hi.nz(), 0f).data();
  }
}
