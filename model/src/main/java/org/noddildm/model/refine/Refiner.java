package org.noddildm.model.refine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.SubVoxels;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * High-resolution NODDI maps from a classic estimate with a trained {@link RefinerNet}: the
 * classic fit upsampled trilinearly plus the network's correction, clamped to 0..1. The
 * low-res grid is cut into tiles that carry {@link RefinerConfig#halo} voxels of context on
 * each side, with zero input beyond the scan, so the answer does not depend on the tile size
 * and equals a whole-volume pass; outside the scan's field of view the input is zero, exactly
 * as background inside it is.
 */
public final class Refiner {
  /** Low-res voxels per tile side, before the halo. */
  public static final int TILE = 40;

  private final RefinerNet net;
  private final NDManager manager;

  public Refiner(RefinerNet net, NDManager manager) {
    this.net = net;
    this.manager = manager;
  }

  public RefinerConfig config() {
    return net.config();
  }

  /** The maps on the upsampled grid of the estimate (3 volumes, 0..1). */
  public Volume refine(ClassicEstimate est) {
    Grid lo = est.features().grid();
    int f = net.config().factor();
    Grid hi = VolumeOps.upsampledGrid(lo, f);
    Volume correction = SubVoxels.fromChannels(correction(est.features(), TILE), hi, f);
    Volume classic = est.upsampled(hi);
    float[] out = classic.data().clone();
    float[] c = correction.data();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(1f, Math.max(0f, out[i] + c[i]));
    }
    return new Volume(hi, 3, out);
  }

  /** The network's sub-voxel correction channels on the low-res grid, tile by tile. */
  public Volume correction(Volume features, int tile) {
    Grid lo = features.grid();
    int h = net.config().halo();
    int oc = net.config().outChannels();
    float[] out = new float[oc * lo.size()];
    ParameterStore ps = new ParameterStore(manager, false);
    for (int z0 = 0; z0 < lo.nz(); z0 += tile) {
      for (int y0 = 0; y0 < lo.ny(); y0 += tile) {
        for (int x0 = 0; x0 < lo.nx(); x0 += tile) {
          int sx = Math.min(tile, lo.nx() - x0);
          int sy = Math.min(tile, lo.ny() - y0);
          int sz = Math.min(tile, lo.nz() - z0);
          int[] box = {x0 - h, y0 - h, z0 - h, sx + 2 * h, sy + 2 * h, sz + 2 * h};
          try (NDManager scope = manager.newSubManager()) {
            float[] in = Tiles.crop(features, box);
            NDArray x = scope.create(in, new Shape(1, features.nt(), box[5], box[4], box[3]));
            NDArray y = net.forward(ps, new NDList(x), false).singletonOrThrow();
            Tiles.paste(y.toFloatArray(), box, h, lo, oc, out);
          }
        }
      }
    }
    return new Volume(lo, oc, out);
  }
}
