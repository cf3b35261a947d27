package org.noddildm.core.physics.phantom;

import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * The arrays a phantom generator fills voxel by voxel (maps, fibre direction, label, S0, mask)
 * and the {@link Phantom} they make. Voxels are written by index from any thread, each index by
 * one thread only.
 */
public final class PhantomArrays {
  private final Grid grid;
  private final int n;
  private final float[] maps;
  private final float[] dir;
  private final float[] labels;
  private final float[] s0;
  private final boolean[] inside;

  public PhantomArrays(Grid grid) {
    this.grid = grid;
    n = grid.size();
    maps = new float[3 * n];
    dir = new float[3 * n];
    labels = new float[n];
    s0 = new float[n];
    inside = new boolean[n];
  }

  /** Stores one brain voxel: NDI, ODI, FWF, the unit fibre direction, its label and S0. */
  public void set(int i, double ndi, double odi, double fwf, double[] direction, int label,
      double signal) {
    inside[i] = true;
    maps[i] = (float) ndi;
    maps[i + n] = (float) odi;
    maps[i + 2 * n] = (float) fwf;
    dir[i] = (float) direction[0];
    dir[i + n] = (float) direction[1];
    dir[i + 2 * n] = (float) direction[2];
    labels[i] = label;
    s0[i] = (float) signal;
  }

  /** The phantom of the stored voxels (everything else is background). */
  public Phantom phantom(long seed) {
    return new Phantom(new Volume(grid, 3, maps), new Volume(grid, 3, dir),
        new Volume(grid, 1, labels), new Mask(grid, inside), new Volume(grid, 1, s0), seed);
  }
}
