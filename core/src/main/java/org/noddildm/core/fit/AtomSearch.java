package org.noddildm.core.fit;

import org.noddildm.core.linalg.Nnls;

/**
 * The variable-projection grid search over a NODDI dictionary: for every tissue atom (v_ic,
 * ODI) the best non-negative mix of that atom and the isotropic atom is found in closed form
 * (a 2 x 2 non-negative least squares on the Gram matrix), which is the exact least-squares fit
 * of the NODDI model with the parameters on the grid, the direction fixed and S0 free. The
 * best atom's 3 x 3 neighbourhood on the (ODI, v_ic) grid and the free-water atom are then
 * fitted together by non-negative least squares and, as in AMICO, the parameters are the
 * weight averages; mixing only neighbouring atoms interpolates between grid points.
 *
 * <p>Unlike averaging the weights of a full non-negative fit (AMICO), this does not mix
 * far-apart atoms to fit noise, which biases ODI towards the middle of its range.
 */
final class AtomSearch {
  private final int rows; // ODI grid size
  private final int cols; // v_ic grid size
  private final double[] odi;
  private final double[] vic;
  private final double[] score; // residual up to a constant: -x'c, per tissue atom
  private static final int BLOCK = 10;
  private final int[] block = new int[BLOCK];
  private final float[] blockGram = new float[BLOCK * BLOCK];
  private final double[] blockC = new double[BLOCK];
  private final double[] weights = new double[BLOCK];
  private final Nnls blockNnls = new Nnls(blockGram, BLOCK);
  private final Nnls.Workspace workspace = new Nnls.Workspace(BLOCK);

  AtomSearch(double[] odiGrid, double[] vicGrid) {
    this.rows = odiGrid.length;
    this.cols = vicGrid.length;
    this.odi = odiGrid;
    this.vic = vicGrid;
    this.score = new double[rows * cols];
  }

  /**
   * Estimates (NDI, ODI, FWF, sum of weights) into {@code out} from {@code c = A'y}, the
   * diagonal of the dictionary's Gram matrix and its isotropic column (tissue atoms row-major
   * by ODI then v_ic, isotropic last).
   */
  void search(double[] c, double[] diag, double[] isoColumn, Nnls gram, double[] out) {
    int iso = rows * cols;
    double gii = diag[iso];
    double ci = c[iso];
    int best = 0;
    for (int j = 0; j < iso; j++) {
      double gjj = diag[j];
      double gji = isoColumn[j];
      double cj = c[j];
      double det = gjj * gii - gji * gji;
      double xj = (gii * cj - gji * ci) / det;
      double xi = (gjj * ci - gji * cj) / det;
      if (!(xj >= 0 && xi >= 0) || !(det > 0)) {
        // one of the two is at its bound: the better single-atom fit
        double sj = cj > 0 ? -cj * cj / gjj : 0;
        double si = ci > 0 ? -ci * ci / gii : 0;
        if (sj <= si) {
          xj = Math.max(0, cj / gjj);
          xi = 0;
        } else {
          xj = 0;
          xi = Math.max(0, ci / gii);
        }
      }
      score[j] = -(xj * cj + xi * ci);
      if (score[j] < score[best]) {
        best = j;
      }
    }
    int bo = best / cols;
    int bv = best % cols;
    // the 3 x 3 block of atoms around the best one, moved inside the grid, plus free water
    int co = Math.max(1, Math.min(rows - 2, bo));
    int cv = Math.max(1, Math.min(cols - 2, bv));
    int k = 0;
    for (int da = -1; da <= 1; da++) {
      for (int db = -1; db <= 1; db++) {
        block[k++] = (co + da) * cols + cv + db;
      }
    }
    block[k] = iso;
    for (int r = 0; r < BLOCK; r++) {
      blockC[r] = c[block[r]];
      for (int q = 0; q < BLOCK; q++) {
        blockGram[r * BLOCK + q] = (float) gram.gram(block[r], block[q]);
      }
    }
    blockNnls.solve(blockC, weights, workspace);
    double tissue = 0;
    double v = 0;
    double o = 0;
    for (int r = 0; r < BLOCK - 1; r++) {
      tissue += weights[r];
      v += weights[r] * vic[block[r] % cols];
      o += weights[r] * odi[block[r] / cols];
    }
    double sum = tissue + weights[BLOCK - 1];
    if (!(tissue > 0)) {
      // free water alone: report the best atom's parameters with FWF 1
      out[0] = vic[bv];
      out[1] = odi[bo];
      out[2] = 1;
      out[3] = weights[BLOCK - 1];
      return;
    }
    out[0] = v / tissue;
    out[1] = o / tissue;
    out[2] = weights[BLOCK - 1] / sum;
    out[3] = sum;
  }
}
