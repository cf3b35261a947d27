package org.noddildm.core.physics.anatomy;

import org.noddildm.core.linalg.SymmetricEigen3;
import org.noddildm.core.physics.phantom.Tissue;
import org.noddildm.core.physics.phantom.TissueMix;

/**
 * Per-thread worker of {@link AnatomicalPhantom}: one output voxel from s^3 sub-voxel samples of
 * the template through the subject's inverse transform.
 *
 * <ul>
 *   <li>Fractions, ventricle, tract and crossing values: trilinear at each sample (the warp is
 *       linearised over the voxel: sample = x + (dx/dq) delta), with enlarged ventricles turning
 *       tissue into CSF where the smoothed ventricle indicator exceeds the subject's threshold,
 *       except within 2.5 mm of the mid-sagittal plane (septum pellucidum, fornix).
 *   <li>Directions: the sign-invariant dyadic average sum w d d^T of the nearest template
 *       voxel's direction at each sample (weighted by the tissue's fraction), whose leading
 *       eigenvector is mapped by the forward Jacobian into the subject, then into the output's
 *       voxel-axis frame (LAS: x negated) and given a canonical sign (z, else y, else x &gt; 0).
 *   <li>With a mixing exponent g other than 1 ({@link SubjectPose#mixingExponent}), each
 *       sample's tissue fractions f become f^g, renormalised: sharper or wider boundaries.
 *   <li>Mixing by {@link TissueMix}, as in the procedural phantom; the label of the largest
 *       fraction; background when less than half the voxel is in the head.
 * </ul>
 */
final class AnatomyVoxel {
  private static final int[] TISSUE = {Tissue.CSF, Tissue.GM, Tissue.WM, Tissue.DEEP_GM};
  /** The template's tissue-fraction scalars. */
  private static final int[] FRACTIONS = {AnatomyTemplate.CSF, AnatomyTemplate.GM,
      AnatomyTemplate.WM, AnatomyTemplate.DEEP};

  private final AnatomyTemplate t;
  private final SubjectPose pose;
  private final TissueParameters par;
  private final int ss;
  private final double[] x = new double[3];
  private final double[][] m = new double[3][3];
  private final double[][] jw = new double[3][3];
  private final double[] p = new double[3];
  private final double[] s = new double[AnatomyTemplate.SCALARS];
  private final double[] acc = new double[AnatomyTemplate.SCALARS];
  private final double[] wmDyad = new double[6];
  private final double[] gmDyad = new double[6];
  private final double[] fields = new double[9];
  private final double[] nd = new double[Tissue.COUNT];
  private final double[] od = new double[Tissue.COUNT];
  private final double[] fw = new double[Tissue.COUNT];
  private final double[] frac = new double[Tissue.COUNT];
  private final double[][] tissueDir = new double[Tissue.COUNT][3];
  private final SymmetricEigen3 eig = new SymmetricEigen3();
  private final TissueMix mix = new TissueMix();

  double ndi;
  double odi;
  double fwf;
  double s0;
  int label;
  /** Output direction, voxel-axis (LAS) frame. */
  final double[] dir = new double[3];

  AnatomyVoxel(AnatomyTemplate t, SubjectPose pose, TissueParameters par, int ss) {
    this.t = t;
    this.pose = pose;
    this.par = par;
    this.ss = ss;
  }

  /**
   * Fills the fields for the voxel centred at subject point q (RAS mm) whose voxel axes have the
   * RAS steps {@code step} (x negated for LAS); false for background.
   */
  boolean compute(double[] q, double[] step) {
    pose.toTemplate(q, x, m, jw);
    double inv = 1 / t.voxel;
    for (int k = 0; k < 3; k++) {
      p[k] = (x[k] - t.origin[k]) * inv;
    }
    double reach = 2 * Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2])
        * inv;
    if (p[0] < -reach || p[1] < -reach || p[2] < -reach || p[0] > t.nx + reach
        || p[1] > t.ny + reach || p[2] > t.nz + reach) {
      return false;
    }
    java.util.Arrays.fill(acc, 0);
    java.util.Arrays.fill(wmDyad, 0);
    java.util.Arrays.fill(gmDyad, 0);
    double threshold = pose.ventricleThreshold();
    double mixing = pose.mixingExponent();
    double head = 0;
    for (int a = 0; a < ss; a++) {
      for (int b = 0; b < ss; b++) {
        for (int c = 0; c < ss; c++) {
          double dx = step[0] * ((a + 0.5) / ss - 0.5);
          double dy = step[1] * ((b + 0.5) / ss - 0.5);
          double dz = step[2] * ((c + 0.5) / ss - 0.5);
          double px = p[0] + (m[0][0] * dx + m[0][1] * dy + m[0][2] * dz) * inv;
          double py = p[1] + (m[1][0] * dx + m[1][1] * dy + m[1][2] * dz) * inv;
          double pz = p[2] + (m[2][0] * dx + m[2][1] * dy + m[2][2] * dz) * inv;
          t.sample(px, py, pz, s);
          if (!Double.isNaN(threshold)) {
            // the septum pellucidum and fornix on the mid-sagittal plane stay
            double mid = Math.abs(t.origin[0] + t.voxel * px - t.centre[0]);
            double e = Fields.smoothstep(threshold, threshold + 0.1, s[AnatomyTemplate.VENTRICLE])
                * Fields.smoothstep(1.0, 2.5, mid);
            double tissue = s[AnatomyTemplate.GM] + s[AnatomyTemplate.WM] + s[AnatomyTemplate.DEEP];
            s[AnatomyTemplate.CSF] += e * tissue;
            s[AnatomyTemplate.GM] *= 1 - e;
            s[AnatomyTemplate.WM] *= 1 - e;
            s[AnatomyTemplate.DEEP] *= 1 - e;
          }
          if (mixing != 1) {
            sharpen(s, mixing);
          }
          for (int k = 0; k < AnatomyTemplate.SCALARS; k++) {
            acc[k] += s[k];
          }
          head += s[AnatomyTemplate.CSF] + s[AnatomyTemplate.GM] + s[AnatomyTemplate.WM]
              + s[AnatomyTemplate.DEEP];
          int i = t.nearest(px, py, pz);
          if (i >= 0) {
            addDyad(wmDyad, t.dirs, 6 * i, s[AnatomyTemplate.WM]);
            addDyad(gmDyad, t.dirs, 6 * i + 3, s[AnatomyTemplate.GM]);
          }
        }
      }
    }
    int total = ss * ss * ss;
    if (head < 0.5 * total) {
      return false;
    }
    for (int k = 0; k < TISSUE.length; k++) {
      frac[TISSUE[k]] = acc[k] / head;
    }
    label = Tissue.CSF;
    for (int tissue : TISSUE) {
      if (frac[tissue] > frac[label]) {
        label = tissue;
      }
    }
    double[] c = t.centre;
    par.fields(x[0] - c[0], x[1] - c[1], x[2] - c[2], fields);
    int centreVoxel = t.nearest(p[0], p[1], p[2]);
    int region = centreVoxel < 0 ? 0 : t.region[centreVoxel] & 0xFF;
    double wmShare = acc[AnatomyTemplate.WM];
    double tract = wmShare > 0 ? acc[AnatomyTemplate.TRACT] / total : 0;
    double crossing = wmShare > 0 ? acc[AnatomyTemplate.CROSSING] / total : 0;
    par.tissues(fields, region, Math.min(1, tract), Math.min(1, crossing), pose.lesion(x),
        nd, od, fw);
    leading(wmDyad, tissueDir[Tissue.WM]);
    leading(gmDyad, tissueDir[Tissue.GM]);
    TissueParameters.deepDirection(fields, tissueDir[Tissue.DEEP_GM]);
    mix.reset();
    for (int tissue : TISSUE) {
      mix.add(tissue, frac[tissue], nd[tissue], od[tissue], fw[tissue], par.s0[tissue]);
    }
    ndi = mix.ndi();
    odi = mix.odi();
    fwf = mix.fwf();
    double sig = mix.s0();
    int dominant = mix.dominant();
    s0 = sig * par.bias(q) * head / total;
    outputDirection(dominant);
    return true;
  }

  /**
   * The sample's tissue fractions f (CSF, GM, WM, deep GM of {@code s}) made f^g and
   * renormalised to their sum: g &gt; 1 sharpens the boundaries, g &lt; 1 widens them.
   */
  static void sharpen(double[] s, double g) {
    double sum = 0;
    double powered = 0;
    for (int j : FRACTIONS) {
      sum += s[j];
      s[j] = s[j] > 0 ? Math.pow(s[j], g) : 0;
      powered += s[j];
    }
    if (powered <= 0) {
      return;
    }
    double scale = sum / powered;
    for (int j : FRACTIONS) {
      s[j] *= scale;
    }
  }

  /** The dominant tissue's template direction, mapped into the output voxel-axis frame. */
  private void outputDirection(int dominant) {
    dir[0] = 0;
    dir[1] = 0;
    dir[2] = 0;
    if (dominant < 0) {
      return;
    }
    double[] d = tissueDir[dominant];
    if (d[0] == 0 && d[1] == 0 && d[2] == 0) {
      return;
    }
    pose.direction(d, jw, dir);
    dir[0] = -dir[0]; // subject RAS to the LAS voxel axes of the output grid
    double n = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
    double sign = dir[2] < 0 || (dir[2] == 0 && (dir[1] < 0 || (dir[1] == 0 && dir[0] < 0)))
        ? -1 : 1;
    for (int k = 0; k < 3; k++) {
      dir[k] = sign * dir[k] / n;
    }
  }

  private static void addDyad(double[] dyad, float[] dirs, int o, double w) {
    if (w <= 0) {
      return;
    }
    double a = dirs[o];
    double b = dirs[o + 1];
    double c = dirs[o + 2];
    dyad[0] += w * a * a;
    dyad[1] += w * a * b;
    dyad[2] += w * a * c;
    dyad[3] += w * b * b;
    dyad[4] += w * b * c;
    dyad[5] += w * c * c;
  }

  /** Leading eigenvector of a dyadic sum into out; zero for an empty sum. */
  private void leading(double[] dyad, double[] out) {
    if (dyad[0] + dyad[3] + dyad[5] <= 1e-12) {
      out[0] = 0;
      out[1] = 0;
      out[2] = 0;
      return;
    }
    eig.decompose(dyad[0], dyad[1], dyad[2], dyad[3], dyad[4], dyad[5]);
    for (int k = 0; k < 3; k++) {
      out[k] = eig.vectors[k][0];
    }
  }
}
