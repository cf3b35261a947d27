package org.noddildm.core.physics.degrade;

import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignalModel;
import org.noddildm.core.physics.Watson;
import org.noddildm.core.physics.phantom.Phantom;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

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

  /**
   * The block-averaged DWI on the grid {@link VolumeOps#downsampledGrid downsampled} by
   * {@code factor}, computed block by block without holding the high-resolution DWI: the same
   * image as {@code VolumeOps.downsample(simulate(...), factor)} up to float rounding, in
   * 1/factor^3 of the memory.
   */
  public static Volume simulateBlockAveraged(Phantom phantom, GradientTable table,
      Diffusivities d, int factor) {
    Grid hi = phantom.grid();
    Grid lo = VolumeOps.downsampledGrid(hi, factor);
    int n = lo.size();
    int nt = table.size();
    NoddiSignalModel model = new NoddiSignalModel(table, d);
    float[] out = new float[n * nt];
    double norm = 1.0 / ((double) factor * factor * factor);
    Parallel.forEach(lo.nz(), z -> {
      double[] s = new double[nt];
      double[] scratch = new double[nt];
      double[] sum = new double[nt];
      for (int y = 0; y < lo.ny(); y++) {
        for (int x = 0; x < lo.nx(); x++) {
          java.util.Arrays.fill(sum, 0);
          boolean any = false;
          for (int dz = 0; dz < factor; dz++) {
            for (int dy = 0; dy < factor; dy++) {
              for (int dx = 0; dx < factor; dx++) {
                int i = hi.index(x * factor + dx, y * factor + dy, z * factor + dz);
                NoddiParams p = phantom.params(i);
                if (p == null) {
                  continue;
                }
                any = true;
                model.signal(p, model.dispersion(p.kappa()), s, scratch);
                double s0 = phantom.s0().at(i, 0);
                for (int t = 0; t < nt; t++) {
                  sum[t] += (float) (s0 * s[t]);
                }
              }
            }
          }
          if (any) {
            int j = lo.index(x, y, z);
            for (int t = 0; t < nt; t++) {
              out[j + t * n] = (float) (sum[t] * norm);
            }
          }
        }
      }
    });
    return new Volume(lo, nt, out);
  }
}
