package org.noddildm.app.report;

import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * Nearest-neighbour resampling through world coordinates, used to show a low-resolution input
 * on the reference grid with its voxels visible as blocks (trilinear interpolation would make
 * it look better than the data are). Voxels outside the source are NaN (drawn black).
 */
final class NearestResample {
  private NearestResample() {}

  static Volume onto(Volume v, int t, Grid target) {
    Grid src = v.grid();
    Affine toSource = src.affine().inverse().times(target.affine());
    float[] out = new float[target.size()];
    Parallel.forEach(target.nz(), z -> {
      for (int y = 0; y < target.ny(); y++) {
        for (int x = 0; x < target.nx(); x++) {
          double[] p = toSource.apply(x, y, z);
          int i = (int) Math.round(p[0]);
          int j = (int) Math.round(p[1]);
          int k = (int) Math.round(p[2]);
          out[target.index(x, y, z)] = src.contains(i, j, k) ? v.get(i, j, k, t) : Float.NaN;
        }
      }
    });
    return Volume.of(target, out);
  }
}
