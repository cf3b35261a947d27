package org.noddildm.core.linalg;

/** Cholesky solves and inverses of small dense symmetric positive definite systems. */
public final class SmallLinearAlgebra {
  private SmallLinearAlgebra() {}

  /**
   * Solves {@code a x = b} in place for symmetric positive definite {@code a} (n x n,
   * row-major, overwritten by its Cholesky factor); {@code b} receives x. False if not SPD or
   * numerically singular (a pivot below 1e-12 of its diagonal entry).
   */
  public static boolean solveSpd(double[] a, double[] b, int n) {
    for (int r = 0; r < n; r++) {
      for (int c = 0; c <= r; c++) {
        double s = a[r * n + c];
        for (int k = 0; k < c; k++) {
          s -= a[r * n + k] * a[c * n + k];
        }
        if (r == c) {
          if (!(s > 1e-12 * a[r * n + r])) {
            return false;
          }
          a[r * n + r] = Math.sqrt(s);
        } else {
          a[r * n + c] = s / a[c * n + c];
        }
      }
    }
    for (int r = 0; r < n; r++) {
      double s = b[r];
      for (int k = 0; k < r; k++) {
        s -= a[r * n + k] * b[k];
      }
      b[r] = s / a[r * n + r];
    }
    for (int r = n - 1; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < n; k++) {
        s -= a[k * n + r] * b[k];
      }
      b[r] = s / a[r * n + r];
    }
    return true;
  }

  /** The inverse of SPD {@code a} (n x n, not changed), or null if it is not SPD. */
  public static double[] invertSpd(double[] a, int n) {
    double[] inv = new double[n * n];
    for (int c = 0; c < n; c++) {
      double[] copy = a.clone();
      double[] e = new double[n];
      e[c] = 1;
      if (!solveSpd(copy, e, n)) {
        return null;
      }
      for (int r = 0; r < n; r++) {
        inv[r * n + c] = e[r];
      }
    }
    return inv;
  }
}
