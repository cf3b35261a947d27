package org.noddildm.core.physics.anatomy;

import org.noddildm.core.linalg.SymmetricEigen3;
import org.noddildm.core.volume.Parallel;

/**
 * Fibre orientations of a template from its tissue fractions alone.
 *
 * <p>White matter: the structure tensor (Bigun and Granlund 1987; Knutsson 1989) of the
 * white-matter fraction w,
 *
 * <pre>
 *   J = G_rho * (grad(G_sigma * w) grad(G_sigma * w)^T),  sigma = 1 mm, rho = 2.5 mm,
 * </pre>
 *
 * plus the same tensor averaged again over about 6 mm (two box passes) so that the middle of
 * wide white matter, where J at 2.5 mm vanishes, takes the orientation of the nearest
 * boundaries. The fibre direction is the eigenvector of the smallest eigenvalue: the direction
 * along which the white-matter fraction changes least, which runs along a tract and within a
 * gyral blade. It cannot tell directions within a sheet apart; {@link TractField} settles the
 * labelled tracts.
 *
 * <p>Cortex: the normalised gradient of the tissue fraction (gray + white + deep gray matter)
 * smoothed by 2 mm, the normal of the cortical surface, i.e. the radial orientation of cortical
 * columns (as in the cortical NODDI and DTI studies of e.g. McNab et al. 2013).
 */
final class FibreField {
  static final double SIGMA_MM = 1.0;
  static final double RHO_MM = 2.5;
  static final double WIDE_BOX_MM = 13;
  static final double CORTEX_SIGMA_MM = 2.0;

  private FibreField() {}

  /** Unit white-matter directions (3 per voxel, world frame) where {@code wm > 0.02}. */
  static float[] whiteMatter(float[] wm, int[] dims, double voxel) {
    int n = wm.length;
    double[] s = Fields.gaussian(Fields.toDouble(wm), dims, SIGMA_MM / voxel);
    double[][] g = Fields.gradient(s, dims);
    s = null;
    int[][] pairs = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};
    double[][] j = new double[6][];
    int box = 2 * (int) Math.round(WIDE_BOX_MM / voxel / 2) + 1;
    for (int k = 0; k < 6; k++) {
      double[] local = Fields.gaussianProduct(g[pairs[k][0]], g[pairs[k][1]], dims,
          RHO_MM / voxel);
      double[] wide = Fields.box(Fields.box(local, dims, box), dims, box);
      for (int i = 0; i < n; i++) {
        local[i] += wide[i];
      }
      j[k] = local;
    }
    g = null;
    float[] out = new float[3 * n];
    Parallel.forChunks(n, 1 << 14, (start, end) -> {
      SymmetricEigen3 eig = new SymmetricEigen3();
      for (int i = start; i < end; i++) {
        double trace = j[0][i] + j[3][i] + j[5][i];
        if (wm[i] <= 0.02 || !(trace > 1e-12)) {
          continue;
        }
        eig.decompose(j[0][i], j[1][i], j[2][i], j[3][i], j[4][i], j[5][i]);
        out[3 * i] = (float) eig.vectors[0][2];
        out[3 * i + 1] = (float) eig.vectors[1][2];
        out[3 * i + 2] = (float) eig.vectors[2][2];
      }
    });
    return out;
  }

  /** Unit cortex normals (3 per voxel, world frame) where {@code gm > 0.02}. */
  static float[] cortexNormal(float[] gm, float[] wm, float[] deep, int[] dims, double voxel) {
    int n = gm.length;
    double[] tissue = new double[n];
    for (int i = 0; i < n; i++) {
      tissue[i] = gm[i] + wm[i] + deep[i];
    }
    double[][] g = Fields.gradient(Fields.gaussian(tissue, dims, CORTEX_SIGMA_MM / voxel), dims);
    float[] out = new float[3 * n];
    for (int i = 0; i < n; i++) {
      double norm = Math.sqrt(g[0][i] * g[0][i] + g[1][i] * g[1][i] + g[2][i] * g[2][i]);
      if (gm[i] <= 0.02 || norm < 1e-9) {
        continue;
      }
      for (int c = 0; c < 3; c++) {
        out[3 * i + c] = (float) (g[c][i] / norm);
      }
    }
    return out;
  }
}
