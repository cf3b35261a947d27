package org.noddildm.core.physics;

import org.noddildm.core.BadArgumentException;

/**
 * Well spread gradient directions by electrostatic repulsion (Jones et al. 1999, MRM 42:515):
 * N unit vectors, each standing for the antipodal pair +-v, minimise the Coulomb energy
 *
 * <pre>
 *   E = sum_{i &lt; j} 1 / |v_i - v_j| + 1 / |v_i + v_j|
 * </pre>
 *
 * by projected gradient descent from a golden-angle spiral on the hemisphere. Deterministic: the
 * same N always gives the same set. Vectors are returned with z &gt;= 0.
 */
public final class Directions {
  private Directions() {}

  /** N well spread unit directions (N x 3). */
  public static double[][] electrostatic(int n) {
    BadArgumentException.require(n >= 1 && n <= 2000,
        "directions: expected 1 to 2000 per shell, found " + n);
    double[][] v = new double[n][3];
    double golden = Math.PI * (3 - Math.sqrt(5));
    for (int i = 0; i < n; i++) {
      double z = 1 - (i + 0.5) / n;
      double r = Math.sqrt(1 - z * z);
      v[i][0] = r * Math.cos(golden * i);
      v[i][1] = r * Math.sin(golden * i);
      v[i][2] = z;
    }
    if (n == 1) {
      return new double[][] {{0, 0, 1}};
    }
    double[][] force = new double[n][3];
    double step = 0.5 / n;
    double energy = energy(v);
    for (int iter = 0; iter < 400; iter++) {
      for (double[] f : force) {
        java.util.Arrays.fill(f, 0);
      }
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          for (int s = -1; s <= 1; s += 2) {
            double dx = v[i][0] - s * v[j][0];
            double dy = v[i][1] - s * v[j][1];
            double dz = v[i][2] - s * v[j][2];
            double r2 = dx * dx + dy * dy + dz * dz;
            double inv3 = 1 / (r2 * Math.sqrt(r2));
            force[i][0] += dx * inv3;
            force[i][1] += dy * inv3;
            force[i][2] += dz * inv3;
            force[j][0] -= s * dx * inv3;
            force[j][1] -= s * dy * inv3;
            force[j][2] -= s * dz * inv3;
          }
        }
      }
      double[][] next = new double[n][3];
      double fmax = 0;
      for (double[] f : force) {
        fmax = Math.max(fmax, Math.sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2]));
      }
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) {
          next[i][c] = v[i][c] + step * force[i][c] / fmax;
        }
        normalise(next[i]);
      }
      double e = energy(next);
      if (e < energy) {
        v = next;
        energy = e;
        step *= 1.1;
      } else {
        step *= 0.5;
        if (step < 1e-9) {
          break;
        }
      }
    }
    for (double[] d : v) {
      if (d[2] < 0) {
        d[0] = -d[0];
        d[1] = -d[1];
        d[2] = -d[2];
      }
    }
    return v;
  }

  /** The repulsion energy of the antipodal point set. */
  public static double energy(double[][] v) {
    double e = 0;
    for (int i = 0; i < v.length; i++) {
      for (int j = i + 1; j < v.length; j++) {
        double m2 = 0;
        double p2 = 0;
        for (int c = 0; c < 3; c++) {
          double a = v[i][c] - v[j][c];
          double b = v[i][c] + v[j][c];
          m2 += a * a;
          p2 += b * b;
        }
        e += 1 / Math.sqrt(m2) + 1 / Math.sqrt(p2);
      }
    }
    return e;
  }

  /** The smallest angle in degrees between any two axes (+-v) of the set. */
  public static double minAngleDegrees(double[][] v) {
    double best = 90;
    for (int i = 0; i < v.length; i++) {
      for (int j = i + 1; j < v.length; j++) {
        double c = Math.abs(v[i][0] * v[j][0] + v[i][1] * v[j][1] + v[i][2] * v[j][2]);
        best = Math.min(best, Math.toDegrees(Math.acos(Math.min(1, c))));
      }
    }
    return best;
  }

  private static void normalise(double[] d) {
    double n = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    d[0] /= n;
    d[1] /= n;
    d[2] /= n;
  }
}
