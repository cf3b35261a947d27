package org.noddildm.core.dwi;

import org.noddildm.core.BadArgumentException;

/**
 * The real, symmetric (even-order) spherical harmonic basis used for diffusion signals, in the
 * convention of Descoteaux et al. 2007 (dipy's "descoteaux07"): for even l and -l <= m <= l,
 *
 * <pre>
 *   Y_lm = sqrt(2) * Re(Y_l^|m|)   for m < 0
 *   Y_lm = Y_l^0                    for m = 0
 *   Y_lm = sqrt(2) * Im(Y_l^m)     for m > 0
 * </pre>
 *
 * with the orthonormal complex harmonics Y_l^m(theta, phi) = N_lm P_l^m(cos theta) e^{i m phi}.
 * Coefficients are ordered by l, then m from -l to l: 1, 6, 15, 28 ... for lmax 0, 2, 4, 6.
 */
public final class SphericalHarmonics {
  private SphericalHarmonics() {}

  /** Number of even-order coefficients up to {@code lmax}: (lmax + 1)(lmax + 2) / 2. */
  public static int count(int lmax) {
    BadArgumentException.require(lmax >= 0 && lmax % 2 == 0,
        "SH order: expected an even lmax >= 0, found " + lmax);
    return (lmax + 1) * (lmax + 2) / 2;
  }

  /** The basis evaluated at unit direction (x, y, z): an array of {@link #count(int)} values. */
  public static double[] basis(int lmax, double x, double y, double z) {
    double[] out = new double[count(lmax)];
    double n = Math.sqrt(x * x + y * y + z * z);
    double cosTheta = n == 0 ? 1 : Math.max(-1, Math.min(1, z / n));
    double phi = Math.atan2(y, x);
    int k = 0;
    for (int l = 0; l <= lmax; l += 2) {
      for (int m = -l; m <= l; m++) {
        int am = Math.abs(m);
        double norm = Math.sqrt((2 * l + 1) / (4 * Math.PI) * factorialRatio(l - am, l + am));
        double p = legendre(l, am, cosTheta);
        double v;
        if (m == 0) {
          v = norm * p;
        } else if (m < 0) {
          v = Math.sqrt(2) * norm * p * Math.cos(am * phi);
        } else {
          v = Math.sqrt(2) * norm * p * Math.sin(am * phi);
        }
        out[k++] = v;
      }
    }
    return out;
  }

  /** (a)! / (b)! for a <= b, computed as a product to stay finite. */
  private static double factorialRatio(int a, int b) {
    double r = 1;
    for (int i = a + 1; i <= b; i++) {
      r /= i;
    }
    return r;
  }

  /**
   * Associated Legendre function P_l^m(x) for m >= 0, without the Condon-Shortley phase (the
   * phase cancels in the real basis up to a sign convention fixed here).
   */
  static double legendre(int l, int m, double x) {
    double pmm = 1;
    double somx2 = Math.sqrt(Math.max(0, (1 - x) * (1 + x)));
    double fact = 1;
    for (int i = 1; i <= m; i++) {
      pmm *= fact * somx2;
      fact += 2;
    }
    if (l == m) {
      return pmm;
    }
    double pmmp1 = x * (2 * m + 1) * pmm;
    if (l == m + 1) {
      return pmmp1;
    }
    double pll = 0;
    for (int ll = m + 2; ll <= l; ll++) {
      pll = (x * (2 * ll - 1) * pmmp1 - (ll + m - 1) * pmm) / (ll - m);
      pmm = pmmp1;
      pmmp1 = pll;
    }
    return pll;
  }

  /**
   * The matrix that maps samples at {@code dirs} (n x 3) to SH coefficients by regularised least
   * squares: (B^T B + lambda L^2)^-1 B^T, with L the Laplace-Beltrami eigenvalues -l(l+1)
   * (Descoteaux 2007). Returns count(lmax) x n.
   */
  public static double[][] fitMatrix(int lmax, double[][] dirs, double lambda) {
    int c = count(lmax);
    int n = dirs.length;
    BadArgumentException.require(n >= c || lambda > 0, "SH fit: expected at least " + c
        + " directions for lmax " + lmax + " without regularisation, found " + n);
    double[][] b = new double[n][];
    for (int i = 0; i < n; i++) {
      b[i] = basis(lmax, dirs[i][0], dirs[i][1], dirs[i][2]);
    }
    double[][] btb = new double[c][c];
    for (int p = 0; p < c; p++) {
      for (int q = 0; q < c; q++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += b[i][p] * b[i][q];
        }
        btb[p][q] = s;
      }
    }
    int k = 0;
    for (int l = 0; l <= lmax; l += 2) {
      for (int m = -l; m <= l; m++) {
        double lb = l * (l + 1.0);
        btb[k][k] += lambda * lb * lb;
        k++;
      }
    }
    double[][] inv = invert(btb);
    double[][] out = new double[c][n];
    for (int p = 0; p < c; p++) {
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int q = 0; q < c; q++) {
          s += inv[p][q] * b[i][q];
        }
        out[p][i] = s;
      }
    }
    return out;
  }

  /** Gauss-Jordan inverse with partial pivoting of a small symmetric positive definite matrix. */
  private static double[][] invert(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[piv][col])) {
          piv = r;
        }
      }
      BadArgumentException.require(Math.abs(m[piv][col]) > 1e-12,
          "SH fit: expected directions that span the sphere, found a singular design");
      double[] t = m[col];
      m[col] = m[piv];
      m[piv] = t;
      double d = m[col][col];
      for (int j = 0; j < 2 * n; j++) {
        m[col][j] /= d;
      }
      for (int r = 0; r < n; r++) {
        if (r != col && m[r][col] != 0) {
          double f = m[r][col];
          for (int j = 0; j < 2 * n; j++) {
            m[r][j] -= f * m[col][j];
          }
        }
      }
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], n, out[i], 0, n);
    }
    return out;
  }
}
