package org.noddildm.core.physics.phantom;

/**
 * Per-thread worker of {@link BrainPhantom}: the tissue fractions of one voxel from its sub-voxel
 * samples and the mixed NODDI parameters, fibre direction, label and S0 at its centre.
 */
final class PhantomVoxel {
  private static final double[] S0 = {0, 2500, 1250, 1000, 1150};

  private final BrainGeometry geo;
  private final FibreBundles bundles;
  private final SmoothField[] f;
  private final double[] axes;
  private final int ss;
  private final double[] scratch = new double[4];
  private final int[] counts = new int[Tissue.COUNT];
  private final FibreBundles.Hit hit = new FibreBundles.Hit();
  private final double[][] tissueDir = new double[Tissue.COUNT][3];
  private final double[] tNdi = new double[Tissue.COUNT];
  private final double[] tOdi = new double[Tissue.COUNT];
  private final double[] tFwf = new double[Tissue.COUNT];
  private final TissueMix mix = new TissueMix();

  double ndi;
  double odi;
  double fwf;
  double s0;
  int label;
  final double[] dir = new double[3];

  PhantomVoxel(BrainGeometry geo, FibreBundles bundles, SmoothField[] f, double[] axes,
      int ss) {
    this.geo = geo;
    this.bundles = bundles;
    this.f = f;
    this.axes = axes;
    this.ss = ss;
  }

  /** Fills the fields for the voxel centred at brain-space q; false for background. */
  boolean compute(double qx, double qy, double qz, double[] step) {
    double r = Math.sqrt(qx * qx + qy * qy + qz * qz);
    double reach = Math.sqrt(step[0] * step[0] + step[1] * step[1] + step[2] * step[2]);
    if (r - reach > BrainGeometry.OUTER * 1.05) {
      return false;
    }
    java.util.Arrays.fill(counts, 0);
    for (int a = 0; a < ss; a++) {
      for (int b = 0; b < ss; b++) {
        for (int c = 0; c < ss; c++) {
          double x = qx + step[0] * ((a + 0.5) / ss - 0.5);
          double y = qy + step[1] * ((b + 0.5) / ss - 0.5);
          double z = qz + step[2] * ((c + 0.5) / ss - 0.5);
          counts[geo.classify(x, y, z, scratch)]++;
        }
      }
    }
    int total = ss * ss * ss;
    if (2 * counts[Tissue.BACKGROUND] > total) {
      return false;
    }
    int brain = total - counts[Tissue.BACKGROUND];
    label = Tissue.CSF;
    for (int t = Tissue.CSF; t < Tissue.COUNT; t++) {
      if (counts[t] > counts[label]) {
        label = t;
      }
    }
    // per-tissue parameters at the centre (smooth fields in [-1, 1] via tanh)
    double f0 = Math.tanh(f[0].at(qx, qy, qz));
    double f1 = Math.tanh(f[1].at(qx, qy, qz));
    double f2 = Math.tanh(f[2].at(qx, qy, qz));
    double f3 = Math.tanh(f[3].at(qx, qy, qz));
    double f4 = Math.tanh(f[4].at(qx, qy, qz));
    tNdi[Tissue.CSF] = 0;
    tOdi[Tissue.CSF] = 0;
    tFwf[Tissue.CSF] = 1;
    tNdi[Tissue.GM] = 0.42 + 0.07 * f0;
    tOdi[Tissue.GM] = 0.55 + 0.09 * f1;
    tFwf[Tissue.GM] = 0.085 + 0.035 * f2;
    tNdi[Tissue.DEEP_GM] = 0.50 + 0.05 * f3;
    tOdi[Tissue.DEEP_GM] = 0.38 + 0.07 * f4;
    tFwf[Tissue.DEEP_GM] = 0.055 + 0.025 * f2;
    radial(qx, qy, qz, tissueDir[Tissue.GM]);
    if (counts[Tissue.DEEP_GM] > 0) {
      double[] d = tissueDir[Tissue.DEEP_GM];
      d[0] = f[5].at(qx, qy, qz);
      d[1] = f[6].at(qx, qy, qz);
      d[2] = f[7].at(qx, qy, qz) + 1e-3;
      normalise(d);
    }
    if (counts[Tissue.WM] > 0) {
      whiteMatter(qx, qy, qz, f0, f1, f2, f3);
    }
    mix.reset();
    for (int t = Tissue.CSF; t < Tissue.COUNT; t++) {
      mix.add(t, counts[t] / (double) brain, tNdi[t], tOdi[t], tFwf[t], S0[t]);
    }
    ndi = mix.ndi();
    odi = mix.odi();
    fwf = mix.fwf();
    double sig = mix.s0();
    int dominant = mix.dominant();
    if (dominant < 0) {
      dir[0] = 0;
      dir[1] = 0;
      dir[2] = 0;
    } else {
      System.arraycopy(tissueDir[dominant], 0, dir, 0, 3);
    }
    double bias = 1 + 0.06 * Math.tanh(f[8].at(qx, qy, qz));
    s0 = sig * bias * brain / total;
    return true;
  }

  private void whiteMatter(double qx, double qy, double qz, double f0, double f1, double f2,
      double f3) {
    bundles.evaluate(qx, qy, qz, hit);
    double[] d = tissueDir[Tissue.WM];
    double[] rad = new double[3];
    radial(qx, qy, qz, rad);
    double w1 = hit.w1;
    double odiBackground = 0.24 + 0.06 * f1;
    double o = odiBackground + w1 * (hit.odi1 - odiBackground);
    // crossing bundles look dispersed to a single-orientation model
    o += 0.5 * hit.w2 * (1 - hit.cos12 * hit.cos12);
    tOdi[Tissue.WM] = Math.min(0.6, Math.max(0.02, o));
    tNdi[Tissue.WM] = 0.61 + 0.06 * f0 + 0.08 * w1;
    tFwf[Tissue.WM] = Math.max(0.0, 0.03 + 0.02 * f3);
    if (w1 > 0) {
      double[] t = physical(hit.t1);
      double sign = t[0] * rad[0] + t[1] * rad[1] + t[2] * rad[2] < 0 ? -1 : 1;
      for (int k = 0; k < 3; k++) {
        d[k] = w1 * t[k] + (1 - w1) * sign * rad[k];
      }
      normalise(d);
    } else {
      System.arraycopy(rad, 0, d, 0, 3);
    }
  }

  /** Unit vector from the brain centre through q, in physical (voxel-axis) orientation. */
  private void radial(double qx, double qy, double qz, double[] out) {
    out[0] = qx * axes[0];
    out[1] = qy * axes[1];
    out[2] = qz * axes[2] + 1e-9;
    normalise(out);
  }

  /** A brain-space tangent mapped to physical space. */
  private double[] physical(double[] t) {
    double[] p = {t[0] * axes[0], t[1] * axes[1], t[2] * axes[2]};
    normalise(p);
    return p;
  }

  private static void normalise(double[] v) {
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    v[0] /= n;
    v[1] /= n;
    v[2] /= n;
  }
}
