package org.noddildm.core.linalg;

import org.noddildm.core.BadArgumentException;

/**
 * Non-negative least squares with optional L1 and L2 penalties, solved by the active-set method
 * of Lawson and Hanson ("Solving Least Squares Problems", 1974, chapter 23) on the normal
 * equations:
 *
 * <pre>
 *   minimise 0.5 ||A x - y||^2 + lambda1 * sum(x) + 0.5 * lambda2 ||x||^2   subject to x >= 0
 *   = minimise 0.5 x'H x - c'x,  H = A'A + lambda2 I,  c = A'y - lambda1
 * </pre>
 *
 * With {@code x >= 0} the L1 norm is the plain sum, so the lasso of AMICO (Daducci et al. 2015,
 * eq. 6, solved there with SPAMS) becomes a shift of {@code c}. Working on the Gram matrix
 * {@code H}, which a dictionary precomputes once, makes each voxel cost {@code A'y} plus a few
 * Cholesky solves of the (small) passive set, which is what makes whole-brain fits take seconds.
 *
 * <p>The Gram matrix is held, not copied; one {@link Workspace} per thread.
 */
public final class Nnls {
  private final float[] gram;
  private final int n;
  private final int maxIterations;

  /**
   * @param gram {@code H = A'A + lambda2 I}, n x n row-major, symmetric positive definite
   * @param n number of unknowns (dictionary atoms)
   */
  public Nnls(float[] gram, int n) {
    BadArgumentException.require(n > 0 && gram.length == n * n,
        "nnls: expected an n x n Gram matrix with n > 0, found " + gram.length + " values for n = "
            + n);
    this.gram = gram;
    this.n = n;
    this.maxIterations = 3 * n + 30;
  }

  /** The Gram matrix {@code A'A + lambda2 I} of an m x n row-major matrix {@code a}. */
  public static float[] gram(double[] a, int m, int n, double lambda2) {
    BadArgumentException.require(a.length == m * n,
        "nnls: expected " + m + " x " + n + " = " + m * n + " values, found " + a.length);
    float[] h = new float[n * n];
    double[] row = new double[n];
    for (int j = 0; j < n; j++) {
      java.util.Arrays.fill(row, 0);
      for (int i = 0; i < m; i++) {
        double aij = a[i * n + j];
        if (aij == 0) {
          continue;
        }
        int base = i * n;
        for (int k = j; k < n; k++) {
          row[k] += aij * a[base + k];
        }
      }
      row[j] += lambda2;
      for (int k = j; k < n; k++) {
        h[j * n + k] = (float) row[k];
        h[k * n + j] = (float) row[k];
      }
    }
    return h;
  }

  public int size() {
    return n;
  }

  /** Entry (j, k) of the Gram matrix. */
  public double gram(int j, int k) {
    return gram[j * n + k];
  }

  /** Scratch arrays for one thread. */
  public static final class Workspace {
    final double[] w;
    final double[] z;
    final int[] passive;
    final boolean[] inP;
    final double[] chol;
    final double[] rhs;

    public Workspace(int n) {
      w = new double[n];
      z = new double[n];
      passive = new int[n];
      inP = new boolean[n];
      chol = new double[n * n];
      rhs = new double[n];
    }
  }

  /**
   * Solves for {@code x >= 0} given {@code c = A'y - lambda1}; {@code x} (length n) receives the
   * solution. Returns the number of outer iterations, or -1 if the iteration limit was reached
   * (x then holds the last feasible iterate, still non-negative).
   */
  public int solve(double[] c, double[] x, Workspace ws) {
    double[] w = ws.w;
    double[] z = ws.z;
    int[] passive = ws.passive;
    boolean[] inP = ws.inP;
    java.util.Arrays.fill(x, 0, n, 0);
    java.util.Arrays.fill(inP, false);
    int p = 0;
    double scale = 0;
    for (int j = 0; j < n; j++) {
      scale = Math.max(scale, Math.abs(c[j]));
    }
    double tol = 1e-10 * Math.max(scale, 1e-300);
    System.arraycopy(c, 0, w, 0, n);
    for (int it = 0; it < maxIterations; it++) {
      int best = -1;
      double bestW = tol;
      for (int j = 0; j < n; j++) {
        if (!inP[j] && w[j] > bestW) {
          bestW = w[j];
          best = j;
        }
      }
      if (best < 0) {
        return it;
      }
      inP[best] = true;
      passive[p++] = best;
      while (true) {
        if (!solvePassive(c, p, z, ws)) {
          // The new column is (numerically) dependent on the passive set: drop it and stop.
          inP[best] = false;
          p = remove(passive, p, best);
          return it;
        }
        boolean feasible = true;
        for (int k = 0; k < p; k++) {
          if (z[passive[k]] <= 0) {
            feasible = false;
            break;
          }
        }
        if (feasible) {
          for (int k = 0; k < p; k++) {
            x[passive[k]] = z[passive[k]];
          }
          break;
        }
        double alpha = Double.POSITIVE_INFINITY;
        for (int k = 0; k < p; k++) {
          int j = passive[k];
          if (z[j] <= 0) {
            alpha = Math.min(alpha, x[j] / (x[j] - z[j]));
          }
        }
        for (int k = 0; k < p; k++) {
          int j = passive[k];
          x[j] += alpha * (z[j] - x[j]);
        }
        int kept = 0;
        for (int k = 0; k < p; k++) {
          int j = passive[k];
          if (x[j] <= 1e-14 * Math.max(1, Math.abs(z[j])) || (z[j] <= 0 && x[j] <= 1e-12)) {
            x[j] = 0;
            inP[j] = false;
          } else {
            passive[kept++] = j;
          }
        }
        p = kept;
        if (p == 0) {
          break;
        }
      }
      // w = c - H x over the active (zero) set; passive entries are not needed.
      for (int j = 0; j < n; j++) {
        if (inP[j]) {
          continue;
        }
        double s = c[j];
        int row = j * n;
        for (int k = 0; k < p; k++) {
          int q = passive[k];
          s -= gram[row + q] * x[q];
        }
        w[j] = s;
      }
    }
    return -1;
  }

  private static int remove(int[] list, int len, int value) {
    int kept = 0;
    for (int k = 0; k < len; k++) {
      if (list[k] != value) {
        list[kept++] = list[k];
      }
    }
    return kept;
  }

  /** Solves H_PP z_P = c_P by Cholesky; false when H_PP is not positive definite. */
  private boolean solvePassive(double[] c, int p, double[] z, Workspace ws) {
    double[] l = ws.chol;
    double[] b = ws.rhs;
    int[] passive = ws.passive;
    for (int r = 0; r < p; r++) {
      int gr = passive[r] * n;
      for (int col = 0; col <= r; col++) {
        double s = gram[gr + passive[col]];
        for (int k = 0; k < col; k++) {
          s -= l[r * p + k] * l[col * p + k];
        }
        if (col == r) {
          if (s <= 1e-12 * Math.abs(gram[gr + passive[r]])) {
            return false;
          }
          l[r * p + r] = Math.sqrt(s);
        } else {
          l[r * p + col] = s / l[col * p + col];
        }
      }
    }
    for (int r = 0; r < p; r++) {
      double s = c[passive[r]];
      for (int k = 0; k < r; k++) {
        s -= l[r * p + k] * b[k];
      }
      b[r] = s / l[r * p + r];
    }
    for (int r = p - 1; r >= 0; r--) {
      double s = b[r];
      for (int k = r + 1; k < p; k++) {
        s -= l[k * p + r] * b[k];
      }
      b[r] = s / l[r * p + r];
    }
    for (int r = 0; r < p; r++) {
      z[passive[r]] = b[r];
    }
    return true;
  }
}
