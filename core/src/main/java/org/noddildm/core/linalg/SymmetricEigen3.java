package org.noddildm.core.linalg;

/**
 * Eigen-decomposition of a real symmetric 3x3 matrix by cyclic Jacobi rotations (Golub and Van
 * Loan, "Matrix Computations", section 8.5). A handful of sweeps reach double precision for a
 * 3x3 matrix, and unlike the closed-form (trigonometric) solution it stays accurate when two
 * eigenvalues are equal, as they are for a cylindrically symmetric diffusion tensor.
 *
 * <p>Eigenvalues come out in decreasing order with unit eigenvectors as the columns of
 * {@link #vectors}.
 */
public final class SymmetricEigen3 {
  private static final int MAX_SWEEPS = 32;

  /** Eigenvalues, largest first. */
  public final double[] values = new double[3];
  /** {@code vectors[r][c]}: component r of eigenvector c (matching {@code values[c]}). */
  public final double[][] vectors = new double[3][3];
  private final double[][] a = new double[3][3];

  /**
   * Decomposes the symmetric matrix with entries (xx, xy, xz, yy, yz, zz) into this object's
   * fields, reusing them so that a voxel loop allocates nothing.
   */
  public SymmetricEigen3 decompose(double xx, double xy, double xz, double yy, double yz,
      double zz) {
    a[0][0] = xx;
    a[0][1] = xy;
    a[0][2] = xz;
    a[1][0] = xy;
    a[1][1] = yy;
    a[1][2] = yz;
    a[2][0] = xz;
    a[2][1] = yz;
    a[2][2] = zz;
    double[][] v = vectors;
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        v[r][c] = r == c ? 1 : 0;
      }
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
      double diag = a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2];
      if (off <= 1e-30 * diag || off == 0) {
        break;
      }
      rotate(0, 1);
      rotate(0, 2);
      rotate(1, 2);
    }
    for (int c = 0; c < 3; c++) {
      values[c] = a[c][c];
    }
    sortDescending();
    return this;
  }

  /** One Jacobi rotation zeroing a[p][q]. */
  private void rotate(int p, int q) {
    double apq = a[p][q];
    if (apq == 0) {
      return;
    }
    double theta = (a[q][q] - a[p][p]) / (2 * apq);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    for (int k = 0; k < 3; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < 3; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < 3; k++) {
      double vkp = vectors[k][p];
      double vkq = vectors[k][q];
      vectors[k][p] = c * vkp - s * vkq;
      vectors[k][q] = s * vkp + c * vkq;
    }
  }

  private void sortDescending() {
    for (int i = 0; i < 2; i++) {
      int best = i;
      for (int j = i + 1; j < 3; j++) {
        if (values[j] > values[best]) {
          best = j;
        }
      }
      if (best != i) {
        double tv = values[i];
        values[i] = values[best];
        values[best] = tv;
        for (int r = 0; r < 3; r++) {
          double t = vectors[r][i];
          vectors[r][i] = vectors[r][best];
          vectors[r][best] = t;
        }
      }
    }
  }

  /** Unit eigenvector of eigenvalue {@code c} (0 = largest), a new array. */
  public double[] vector(int c) {
    return new double[] {vectors[0][c], vectors[1][c], vectors[2][c]};
  }
}
