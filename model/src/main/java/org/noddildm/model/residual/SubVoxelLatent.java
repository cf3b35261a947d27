package org.noddildm.model.residual;

import ai.djl.ndarray.NDManager;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.SubVoxels;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * The lossless latent: each map's f x f x f sub-voxels as channels of one latent voxel ("space
 * to depth", {@link SubVoxels}); at f = 2 that is 8 channels per map, the layout of the original
 * system's per-map latent (downsampling 2, dimension 8) without its loss. D is the exact inverse
 * of E and linear, so D(E(r) + delta) - D(E(r)) = D(delta): the diffusion model samples the
 * residual itself, at the cost of a latent with one voxel per f^3 high-res voxels.
 *
 * @param factor the sub-voxels per axis
 */
public record SubVoxelLatent(int factor) implements LatentCoder {

  public SubVoxelLatent {
    BadArgumentException.require(factor >= 1, "sub-voxel latent: expected a factor >= 1, found "
        + factor);
  }

  @Override
  public String kind() {
    return SUBVOXEL;
  }

  @Override
  public int channels() {
    return 3 * factor * factor * factor;
  }

  /** One per map: each map's sub-voxels are consecutive channels. */
  @Override
  public int scaleGroups() {
    return 3;
  }

  @Override
  public Volume encode(Volume maps, int[] n, NDManager manager) {
    Volume padded = VolumeOps.cropOrPad(maps, 0, 0, 0, n[0] * factor, n[1] * factor,
        n[2] * factor, 0f);
    return SubVoxels.toChannels(padded, VolumeOps.downsampledGrid(padded.grid(), factor),
        factor);
  }

  @Override
  public float[] decode(Volume z, Grid hi, NDManager manager) {
    Volume maps = SubVoxels.fromChannels(z, VolumeOps.upsampledGrid(z.grid(), factor), factor);
    return VolumeOps.cropOrPad(maps, 0, 0, 0, hi.nx(), hi.ny(), hi.nz(), 0f).data();
  }
}
