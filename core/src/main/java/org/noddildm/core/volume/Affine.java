package org.noddildm.core.volume;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;

/**
 * A voxel-to-world transform: a 4 x 4 matrix whose last row is (0, 0, 0, 1). World coordinates
 * are millimetres in the NIfTI convention (+x Right, +y Anterior, +z Superior, "RAS+"), so
 * {@code world = A * (i, j, k, 1)} for voxel indices (i, j, k).
 *
 * <p>Immutable; the matrix is copied in and out.
 */
public final class Affine {
  private final double[][] m;

  private Affine(double[][] m) {
    this.m = m;
  }

  /** From the top three rows (3 x 4); the last row is implied. */
  public static Affine of(double[][] rows) {
    BadArgumentException.require(
        rows.length == 3 || rows.length == 4,
        "affine: expected 3 or 4 rows, found " + rows.length);
    double[][] copy = new double[4][4];
    for (int r = 0; r < 3; r++) {
      BadArgumentException.require(
          rows[r].length == 4, "affine: expected 4 columns, found " + rows[r].length);
      for (int c = 0; c < 4; c++) {
        BadArgumentException.require(
            Double.isFinite(rows[r][c]), "affine: expected finite entries, found " + rows[r][c]);
        copy[r][c] = rows[r][c];
      }
    }
    copy[3][3] = 1;
    return new Affine(copy);
  }

  /** Scaling by the voxel sizes with the origin at voxel (0, 0, 0): NIfTI "method 1". */
  public static Affine scaling(double dx, double dy, double dz) {
    return of(new double[][] {{dx, 0, 0, 0}, {0, dy, 0, 0}, {0, 0, dz, 0}});
  }

  public static Affine identity() {
    return scaling(1, 1, 1);
  }

  /** Entry at row r, column c (0-based, r and c in 0..3). */
  public double get(int r, int c) {
    return m[r][c];
  }

  /** A copy of the 4 x 4 matrix. */
  public double[][] toArray() {
    double[][] out = new double[4][];
    for (int r = 0; r < 4; r++) {
      out[r] = m[r].clone();
    }
    return out;
  }

  /** World coordinates (x, y, z) in mm of the voxel position (i, j, k), fractional allowed. */
  public double[] apply(double i, double j, double k) {
    double[] out = new double[3];
    for (int r = 0; r < 3; r++) {
      out[r] = m[r][0] * i + m[r][1] * j + m[r][2] * k + m[r][3];
    }
    return out;
  }

  /** The product {@code this * other}: {@code other} is applied first. */
  public Affine times(Affine other) {
    double[][] out = new double[4][4];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        double s = 0;
        for (int k = 0; k < 4; k++) {
          s += m[r][k] * other.m[k][c];
        }
        out[r][c] = s;
      }
    }
    return new Affine(out);
  }

  /** The inverse transform (world to voxel). */
  public Affine inverse() {
    double[][] a = new double[3][3];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        a[r][c] = m[r][c];
      }
    }
    double det = determinant();
    BadArgumentException.require(
        Math.abs(det) > 1e-12, "affine: expected an invertible matrix, found determinant " + det);
    double[][] inv = new double[4][4];
    inv[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
    inv[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
    inv[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
    inv[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
    inv[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
    inv[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
    inv[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
    inv[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
    inv[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
    for (int r = 0; r < 3; r++) {
      inv[r][3] = -(inv[r][0] * m[0][3] + inv[r][1] * m[1][3] + inv[r][2] * m[2][3]);
    }
    inv[3][3] = 1;
    return new Affine(inv);
  }

  /** Determinant of the 3 x 3 linear part; negative for a left-handed (radiological) storage. */
  public double determinant() {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  }

  /** Voxel sizes in mm: the lengths of the three columns of the linear part. */
  public double[] voxelSizes() {
    double[] out = new double[3];
    for (int c = 0; c < 3; c++) {
      out[c] = Math.sqrt(m[0][c] * m[0][c] + m[1][c] * m[1][c] + m[2][c] * m[2][c]);
    }
    return out;
  }

  /**
   * Axis codes of the voxel axes as nibabel's {@code aff2axcodes} gives them: for each voxel axis
   * the world axis it runs closest to and the direction it runs towards, e.g. "RAS" or "LPS".
   */
  public String axisCodes() {
    char[][] labels = {{'L', 'R'}, {'P', 'A'}, {'I', 'S'}};
    char[] codes = new char[3];
    boolean[] used = new boolean[3];
    // Assign the voxel axes to world axes greedily by the largest normalised component.
    double[] sizes = voxelSizes();
    for (int pass = 0; pass < 3; pass++) {
      int bestC = -1;
      int bestR = -1;
      double best = -1;
      for (int c = 0; c < 3; c++) {
        if (codes[c] != 0) {
          continue;
        }
        for (int r = 0; r < 3; r++) {
          double v = sizes[c] == 0 ? 0 : Math.abs(m[r][c]) / sizes[c];
          if (!used[r] && v > best) {
            best = v;
            bestC = c;
            bestR = r;
          }
        }
      }
      used[bestR] = true;
      codes[bestC] = labels[bestR][m[bestR][bestC] >= 0 ? 1 : 0];
    }
    return new String(codes);
  }

  /** True when every entry differs from {@code other}'s by at most {@code tol}. */
  public boolean approxEquals(Affine other, double tol) {
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        if (Math.abs(m[r][c] - other.m[r][c]) > tol) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Affine a && Arrays.deepEquals(m, a.m);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(m);
  }

  /** Three rows of four numbers, as FSL and nibabel print an affine. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < 4; r++) {
      sb.append(String.format("%10.4f %10.4f %10.4f %10.4f%n", m[r][0], m[r][1], m[r][2], m[r][3]));
    }
    return sb.toString();
  }
}
