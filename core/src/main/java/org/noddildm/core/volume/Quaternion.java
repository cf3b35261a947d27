package org.noddildm.core.volume;

/**
 * The qform parameters of an affine (nifti1.h method 2): a rotation quaternion (a, b, c, d) with
 * a >= 0 stored as (b, c, d), the voxel sizes and qfac = -1 when the third axis is flipped to make
 * the linear part a proper rotation.
 *
 * @param exact false when the affine's columns were not orthogonal, so the qform only
 *     approximates it
 */
public record Quaternion(double b, double c, double d, double dx, double dy, double dz, double qfac,
    boolean exact) {

  /** The closest qform of {@code a}: columns normalised, then orthogonalised by polar iteration. */
  public static Quaternion fromAffine(Affine a) {
    double[][] r = new double[3][3];
    double[] size = a.voxelSizes();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        r[i][j] = size[j] == 0 ? (i == j ? 1 : 0) : a.get(i, j) / size[j];
      }
    }
    double det = det(r);
    double qfac = 1;
    if (det < 0) {
      qfac = -1;
      for (int i = 0; i < 3; i++) {
        r[i][2] = -r[i][2];
      }
    }
    boolean orthogonal = Math.abs(dot(r, 0, 1)) < 1e-5 && Math.abs(dot(r, 0, 2)) < 1e-5
        && Math.abs(dot(r, 1, 2)) < 1e-5;
    if (!orthogonal) {
      r = polar(r);
    }
    // Rotation matrix to quaternion (nifti1_io's branch choice for numerical stability).
    double qa = r[0][0] + r[1][1] + r[2][2] + 1;
    double qb;
    double qc;
    double qd;
    if (qa > 0.5) {
      qa = 0.5 * Math.sqrt(qa);
      qb = 0.25 * (r[2][1] - r[1][2]) / qa;
      qc = 0.25 * (r[0][2] - r[2][0]) / qa;
      qd = 0.25 * (r[1][0] - r[0][1]) / qa;
    } else {
      double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
      double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
      double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
      if (xd > 1) {
        qb = 0.5 * Math.sqrt(xd);
        qc = 0.25 * (r[0][1] + r[1][0]) / qb;
        qd = 0.25 * (r[0][2] + r[2][0]) / qb;
        qa = 0.25 * (r[2][1] - r[1][2]) / qb;
      } else if (yd > 1) {
        qc = 0.5 * Math.sqrt(yd);
        qb = 0.25 * (r[0][1] + r[1][0]) / qc;
        qd = 0.25 * (r[1][2] + r[2][1]) / qc;
        qa = 0.25 * (r[0][2] - r[2][0]) / qc;
      } else {
        qd = 0.5 * Math.sqrt(zd);
        qb = 0.25 * (r[0][2] + r[2][0]) / qd;
        qc = 0.25 * (r[1][2] + r[2][1]) / qd;
        qa = 0.25 * (r[1][0] - r[0][1]) / qd;
      }
      if (qa < 0) {
        qb = -qb;
        qc = -qc;
        qd = -qd;
      }
    }
    return new Quaternion(qb, qc, qd, size[0], size[1], size[2], qfac, orthogonal);
  }

  private static double dot(double[][] r, int c1, int c2) {
    return r[0][c1] * r[0][c2] + r[1][c1] * r[1][c2] + r[2][c1] * r[2][c2];
  }

  private static double det(double[][] r) {
    return r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1])
        - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0])
        + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
  }

  /** The orthogonal factor of the polar decomposition, by Newton iteration X = (X + X^-T) / 2. */
  private static double[][] polar(double[][] m) {
    double[][] x = new double[3][];
    for (int i = 0; i < 3; i++) {
      x[i] = m[i].clone();
    }
    for (int iter = 0; iter < 100; iter++) {
      double[][] invT = inverseTranspose(x);
      double change = 0;
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
          double v = 0.5 * (x[i][j] + invT[i][j]);
          change += Math.abs(v - x[i][j]);
          x[i][j] = v;
        }
      }
      if (change < 1e-12) {
        break;
      }
    }
    return x;
  }

  private static double[][] inverseTranspose(double[][] a) {
    double d = det(a);
    double[][] out = new double[3][3];
    // Cofactor matrix divided by the determinant is the inverse transpose.
    out[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / d;
    out[0][1] = -(a[1][0] * a[2][2] - a[1][2] * a[2][0]) / d;
    out[0][2] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / d;
    out[1][0] = -(a[0][1] * a[2][2] - a[0][2] * a[2][1]) / d;
    out[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / d;
    out[1][2] = -(a[0][0] * a[2][1] - a[0][1] * a[2][0]) / d;
    out[2][0] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / d;
    out[2][1] = -(a[0][0] * a[1][2] - a[0][2] * a[1][0]) / d;
    out[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / d;
    return out;
  }
}
