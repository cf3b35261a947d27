package org.noddildm.core.physics.anatomy;

import java.util.Locale;
import java.util.Map;
import org.noddildm.core.linalg.SymmetricEigen3;
import org.noddildm.core.volume.Parallel;

/**
 * Directions, membership and crossings of the labelled white-matter tracts of the JHU ICBM-DTI-81
 * atlas (Mori et al. 2008; Oishi et al. 2008).
 *
 * <p>For each label l with indicator 1_l, the Gaussian-weighted moments of its voxel cloud
 * around every point x give the local mean and covariance of the label's voxel positions y,
 *
 * <pre>
 *   m0 = G * 1_l,   m = G * (1_l y) / m0,   C = G * (1_l y y^T) / m0 - m m^T,
 * </pre>
 *
 * (G a Gaussian of {@value #SIGMA_MM} mm). The tract's local direction is the principal axis of
 * C / tr(C) + beta p p^T, where p is the anatomical course implied by the label's name
 * (left-right for the callosum and the pontine crossing fibres, inferior-superior for
 * projection tracts, anterior-posterior for association tracts and the fornix) and beta =
 * {@value #PRIOR}: the prior only settles sheets such as the callosal body, whose cloud spreads
 * equally in two directions, while tube-like labels follow their own geometry.
 *
 * <p>Per voxel the two labels of largest m0 are kept: the first gives the tract membership
 * smoothstep(0.1, 0.5, m0) and the direction; the second, where tracts meet, gives the crossing
 * term smoothstep(0.05, 0.4, m0_2) (1 - (d1 . d2)^2), which raises ODI since NODDI has one
 * orientation per voxel.
 */
final class TractField {
  static final double SIGMA_MM = 3.0;
  static final double PRIOR = 0.2;

  final float[] membership;
  final float[] crossing;
  /** Direction of the strongest tract (3 per voxel, world frame), zero outside tracts. */
  final float[] direction;

  TractField(int[] labels, Map<Integer, String> names, int[] dims, double voxel) {
    int n = labels.length;
    float[] w1 = new float[n];
    float[] w2 = new float[n];
    float[] d1 = new float[3 * n];
    float[] d2 = new float[3 * n];
    double sigma = SIGMA_MM / voxel;
    int margin = (int) Math.ceil(3 * sigma) + 1;
    int[][] boxes = boundingBoxes(labels, dims, margin);
    for (Map.Entry<Integer, String> e : names.entrySet()) {
      int l = e.getKey();
      if (l > 0 && l < boxes.length && boxes[l] != null) {
        accumulate(labels, dims, l, boxes[l], sigma, prior(e.getValue()), w1, w2, d1, d2);
      }
    }
    membership = new float[n];
    crossing = new float[n];
    direction = d1;
    for (int i = 0; i < n; i++) {
      membership[i] = (float) Fields.smoothstep(0.1, 0.5, w1[i]);
      double c = d1[3 * i] * d2[3 * i] + d1[3 * i + 1] * d2[3 * i + 1]
          + d1[3 * i + 2] * d2[3 * i + 2];
      crossing[i] = (float) (Fields.smoothstep(0.05, 0.4, w2[i]) * (1 - c * c));
    }
  }

  /**
   * Blends the tract directions into white-matter directions {@code wm} (3 per voxel): with
   * membership t, the sign-aligned t d_tract + (1 - t) d_wm, renormalised.
   */
  void blendInto(float[] wm) {
    for (int i = 0; i < membership.length; i++) {
      double t = membership[i];
      if (t <= 0) {
        continue;
      }
      double dot = 0;
      for (int a = 0; a < 3; a++) {
        dot += direction[3 * i + a] * wm[3 * i + a];
      }
      double sign = dot < 0 ? -1 : 1;
      double[] v = new double[3];
      double norm = 0;
      for (int a = 0; a < 3; a++) {
        v[a] = t * direction[3 * i + a] + (1 - t) * sign * wm[3 * i + a];
        norm += v[a] * v[a];
      }
      norm = Math.sqrt(norm);
      if (norm > 1e-9) {
        for (int a = 0; a < 3; a++) {
          wm[3 * i + a] = (float) (v[a] / norm);
        }
      }
    }
  }

  /** The anatomical course a label's name implies, or null. */
  static double[] prior(String name) {
    String s = name.toLowerCase(Locale.ROOT);
    if (s.contains("corpus_callosum") || s.contains("pontine_crossing")) {
      return new double[] {1, 0, 0};
    }
    if (s.contains("corticospinal") || s.contains("cerebral_peduncle")
        || s.contains("internal_capsule") || s.contains("corona_radiata")
        || s.contains("lemniscus") || s.contains("superior_cerebellar")
        || s.contains("inferior_cerebellar")) {
      return new double[] {0, 0, 1};
    }
    if (s.contains("longitudinal") || s.contains("fronto-occipital") || s.contains("cingulum")
        || s.contains("sagittal_stratum") || s.contains("thalamic_radiation")
        || s.contains("fornix") || s.contains("external_capsule") || s.contains("uncinate")
        || s.contains("tapetum")) {
      return new double[] {0, 1, 0};
    }
    return null;
  }

  /**
   * Per label 1..255 its box {x0, y0, z0, x1, y1, z1} (inclusive) grown by margin and clipped to
   * the grid, or null if the label is absent.
   */
  private static int[][] boundingBoxes(int[] labels, int[] dims, int margin) {
    int[][] boxes = new int[256][];
    for (int i = 0; i < labels.length; i++) {
      int l = labels[i];
      if (l <= 0 || l > 255) {
        continue;
      }
      int[] p = {i % dims[0], (i / dims[0]) % dims[1], i / (dims[0] * dims[1])};
      if (boxes[l] == null) {
        boxes[l] = new int[] {p[0], p[1], p[2], p[0], p[1], p[2]};
      }
      for (int k = 0; k < 3; k++) {
        boxes[l][k] = Math.min(boxes[l][k], p[k]);
        boxes[l][k + 3] = Math.max(boxes[l][k + 3], p[k]);
      }
    }
    for (int[] b : boxes) {
      if (b != null) {
        for (int k = 0; k < 3; k++) {
          b[k] = Math.max(0, b[k] - margin);
          b[k + 3] = Math.min(dims[k] - 1, b[k + 3] + margin);
        }
      }
    }
    return boxes;
  }

  private static void accumulate(int[] labels, int[] dims, int l, int[] b, double sigma,
      double[] p, float[] w1, float[] w2, float[] d1, float[] d2) {
    int[] bd = {b[3] - b[0] + 1, b[4] - b[1] + 1, b[5] - b[2] + 1};
    int m = bd[0] * bd[1] * bd[2];
    double[] ind = new double[m];
    double[][] y = new double[3][m];
    double[] half = {(bd[0] - 1) / 2.0, (bd[1] - 1) / 2.0, (bd[2] - 1) / 2.0};
    for (int k = 0; k < m; k++) {
      int x = k % bd[0];
      int yy = (k / bd[0]) % bd[1];
      int z = k / (bd[0] * bd[1]);
      y[0][k] = x - half[0];
      y[1][k] = yy - half[1];
      y[2][k] = z - half[2];
      ind[k] = labels[b[0] + x + dims[0] * (b[1] + yy + dims[1] * (b[2] + z))] == l ? 1 : 0;
    }
    double[] m0 = Fields.gaussian(ind, bd, sigma);
    double[][] m1 = new double[3][];
    double[][] iy = new double[3][m];
    for (int a = 0; a < 3; a++) {
      for (int k = 0; k < m; k++) {
        iy[a][k] = ind[k] * y[a][k];
      }
      m1[a] = Fields.gaussian(iy[a], bd, sigma);
    }
    int[][] pairs = {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}};
    double[][] m2 = new double[6][];
    for (int q = 0; q < 6; q++) {
      m2[q] = Fields.gaussianProduct(iy[pairs[q][0]], y[pairs[q][1]], bd, sigma);
    }
    double beta = p == null ? 0 : PRIOR;
    double[] pp = p == null ? new double[3] : p;
    Parallel.forEach(bd[2], z -> {
      SymmetricEigen3 eig = new SymmetricEigen3();
      double[] c = new double[6];
      for (int yy = 0; yy < bd[1]; yy++) {
        for (int x = 0; x < bd[0]; x++) {
          int k = x + bd[0] * (yy + bd[1] * z);
          double w = m0[k];
          if (w < 0.02) {
            continue;
          }
          double[] mu = {m1[0][k] / w, m1[1][k] / w, m1[2][k] / w};
          for (int q = 0; q < 6; q++) {
            c[q] = m2[q][k] / w - mu[pairs[q][0]] * mu[pairs[q][1]];
          }
          double tr = c[0] + c[3] + c[5];
          if (!(tr > 1e-9)) {
            continue;
          }
          eig.decompose(c[0] / tr + beta * pp[0] * pp[0], c[1] / tr + beta * pp[0] * pp[1],
              c[2] / tr + beta * pp[0] * pp[2], c[3] / tr + beta * pp[1] * pp[1],
              c[4] / tr + beta * pp[1] * pp[2], c[5] / tr + beta * pp[2] * pp[2]);
          int i = b[0] + x + dims[0] * (b[1] + yy + dims[1] * (b[2] + z));
          if (w > w1[i]) {
            w2[i] = w1[i];
            System.arraycopy(d1, 3 * i, d2, 3 * i, 3);
            w1[i] = (float) w;
            for (int a = 0; a < 3; a++) {
              d1[3 * i + a] = (float) eig.vectors[a][0];
            }
          } else if (w > w2[i]) {
            w2[i] = (float) w;
            for (int a = 0; a < 3; a++) {
              d2[3 * i + a] = (float) eig.vectors[a][0];
            }
          }
        }
      }
    });
  }
}
