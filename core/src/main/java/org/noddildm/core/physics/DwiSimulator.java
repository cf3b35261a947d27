package org.noddildm.core.physics;

import org.noddildm.core.io.GradientTable;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * Noise-free diffusion-weighted images of a phantom: in every voxel of the mask,
 * S = S0 * (S/S0 of the NODDI model for the voxel's parameters); zero outside. One
 * {@link NoddiSignalModel} serves all voxels; the Watson moments are computed per voxel.
 */
public final class DwiSimulator {
  private DwiSimulator() {}

  /** The DWI of {@code phantom} for {@code table} (one volume per table entry). */
  public static Volume simulate(Phantom phantom, GradientTable table, Diffusivities d) {
    Grid grid = phantom.grid();
    int n = grid.size();
    int nt = table.size();
    NoddiSignalModel model = new NoddiSignalModel(table, d);
    float[] out = new float[n * nt];
    int[] voxels = phantom.mask().indices();
    Parallel.forChunks(voxels.length, 2048, (start, end) -> {
      double[] s = new double[nt];
      double[] scratch = new double[nt];
      for (int k = start; k < end; k++) {
        int i = voxels[k];
        NoddiParams p = phantom.params(i);
        NoddiSignalModel.Dispersion f = model.dispersion(p.kappa());
        model.signal(p, f, s, scratch);
        double s0 = phantom.s0().at(i, 0);
        for (int t = 0; t < nt; t++) {
          out[i + t * n] = (float) (s0 * s[t]);
        }
      }
    });
    return new Volume(grid, nt, out);
  }
}
