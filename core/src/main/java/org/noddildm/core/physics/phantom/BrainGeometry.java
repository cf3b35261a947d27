package org.noddildm.core.physics.phantom;

import java.util.SplittableRandom;

/**
 * The tissue layout of one phantom subject, in "brain space" q: the brain's bounding ellipsoid
 * scaled to the unit sphere (x left-right, y posterior-anterior, z inferior-superior).
 *
 * <ul>
 *   <li>Outer surface: rho = |q| / R(u) = 1, with R a smooth random perturbation of the sphere
 *       along the direction u = q / |q|; a layer of extra-cerebral CSF to rho = {@link #OUTER}.
 *   <li>Folded cortex: a random field F on the sphere; its zero set is the sulcal fundus line.
 *       With d = |F| / |grad F| (the angular distance to the nearest zero), sulcal CSF fills
 *       d &lt; W down to depth D, and the gray-white boundary sits at
 *       rho_wm = 1 - T - D (1 - smoothstep(W + T, W + T + 0.025, d)): a ribbon of thickness
 *       about T that follows the folds.
 *   <li>Interhemispheric fissure down to the callosum, lined by medial cortex.
 *   <li>Arched lateral ventricles, a third ventricle, thalami, putamen and caudate nuclei.
 * </ul>
 *
 * Every size and position is drawn from the seed around anatomical proportions, so subjects
 * differ in shape, folding and deep structures.
 */
final class BrainGeometry {
  static final double OUTER = 1.07;
  static final double T = 0.09;
  static final double D = 0.24;
  static final double W = 0.02;
  private static final double FISSURE = 0.022;

  private final SmoothField shape;
  private final SmoothField folds;
  private final double[][] ventricles; // cx cy cz a b c arch (per side)
  private final double[][] deep; // cx cy cz a b c
  final double zcc;
  final double ccLength;
  final double ccArch;

  BrainGeometry(SplittableRandom rnd) {
    shape = new SmoothField(rnd, 10, 2.0);
    folds = new SmoothField(rnd, 32, 8 + 2 * rnd.nextDouble());
    ventricles = new double[2][];
    double vx = 0.14 + 0.03 * (rnd.nextDouble() - 0.5);
    double va = 0.07 * (0.8 + 0.45 * rnd.nextDouble());
    double vb = 0.40 * (0.85 + 0.3 * rnd.nextDouble());
    double vc = 0.10 * (0.8 + 0.45 * rnd.nextDouble());
    double vy = -0.04 + 0.06 * (rnd.nextDouble() - 0.5);
    for (int s = 0; s < 2; s++) {
      double side = s == 0 ? -1 : 1;
      // slight asymmetry between the two sides
      ventricles[s] = new double[] {side * vx, vy, 0.03, va * (0.9 + 0.2 * rnd.nextDouble()),
          vb, vc * (0.9 + 0.2 * rnd.nextDouble()), 0.35 + 0.15 * rnd.nextDouble()};
    }
    double[][] nominal = {
      {0.12, -0.15, -0.08, 0.10, 0.15, 0.11}, // thalamus
      {0.32, 0.08, -0.03, 0.07, 0.18, 0.12}, // putamen
      {0.19, 0.25, 0.06, 0.06, 0.11, 0.09}, // caudate head
    };
    deep = new double[6][];
    for (int k = 0; k < 6; k++) {
      double[] n = nominal[k / 2];
      double side = k % 2 == 0 ? -1 : 1;
      double[] d = new double[6];
      d[0] = side * (n[0] + 0.03 * (rnd.nextDouble() - 0.5));
      for (int i = 1; i < 3; i++) {
        d[i] = n[i] + 0.04 * (rnd.nextDouble() - 0.5);
      }
      for (int i = 3; i < 6; i++) {
        d[i] = n[i] * (0.85 + 0.3 * rnd.nextDouble());
      }
      deep[k] = d;
    }
    zcc = 0.22 + 0.04 * (rnd.nextDouble() - 0.5);
    ccLength = 0.52 + 0.08 * (rnd.nextDouble() - 0.5);
    ccArch = 0.3 + 0.2 * rnd.nextDouble();
  }

  /** Outer radius R(u) for a unit direction. */
  double radius(double ux, double uy, double uz) {
    return 1 + 0.045 * Math.tanh(shape.at(ux, uy, uz));
  }

  /** Height of the callosum's mid-surface at y (brain space). */
  double callosumZ(double y) {
    return zcc - ccArch * y * y;
  }

  /** The tissue label at brain-space point q; {@code scratch} has length >= 4. */
  int classify(double x, double y, double z, double[] scratch) {
    double r = Math.sqrt(x * x + y * y + z * z);
    if (r < 1e-9) {
      return Tissue.WM;
    }
    double ux = x / r;
    double uy = y / r;
    double uz = z / r;
    double rho = r / radius(ux, uy, uz);
    if (rho >= OUTER) {
      return Tissue.BACKGROUND;
    }
    if (rho >= 1) {
      return Tissue.CSF;
    }
    // interhemispheric fissure above the callosum (deeper beyond its ends)
    double ay = Math.abs(y) / ccLength;
    double inCc = 1 - smoothstep(0.85, 1.15, ay);
    double floor = inCc * (callosumZ(y) + 0.09) + (1 - inCc) * -0.35;
    double ax = Math.abs(x);
    if (z > floor && ax < FISSURE) {
      return Tissue.CSF;
    }
    if (rho > 1 - T - D) {
      folds.withGradient(ux, uy, uz, scratch);
      double gu = scratch[1] * ux + scratch[2] * uy + scratch[3] * uz;
      double gx = scratch[1] - gu * ux;
      double gy = scratch[2] - gu * uy;
      double gz = scratch[3] - gu * uz;
      double grad = Math.sqrt(gx * gx + gy * gy + gz * gz);
      // a floor on the gradient keeps flat stretches of the field (no sulcus near) from
      // reading as close to a sulcus
      double d = Math.abs(scratch[0]) / Math.max(grad, 3.0);
      if (d < W && rho > 1 - D) {
        return Tissue.CSF;
      }
      double rhoWm = 1 - T - D * (1 - smoothstep(W + T, W + T + 0.025, d));
      if (rho > rhoWm) {
        return Tissue.GM;
      }
    }
    if (z > floor - T && ax < FISSURE + T) {
      return Tissue.GM;
    }
    for (double[] v : ventricles) {
      double dx = (x - v[0]) / v[3];
      double dy = (y - v[1]) / v[4];
      double dz = (z - v[2] + v[6] * (y - v[1]) * (y - v[1])) / v[5];
      if (dx * dx + dy * dy + dz * dz < 1) {
        return Tissue.CSF;
      }
    }
    if (ax < 0.02 && y > -0.2 && y < 0.12 && z > -0.25 && z < 0.02) {
      return Tissue.CSF; // third ventricle
    }
    for (double[] d : deep) {
      double dx = (x - d[0]) / d[3];
      double dy = (y - d[1]) / d[4];
      double dz = (z - d[2]) / d[5];
      if (dx * dx + dy * dy + dz * dz < 1) {
        return Tissue.DEEP_GM;
      }
    }
    return Tissue.WM;
  }

  static double smoothstep(double a, double b, double x) {
    double t = Math.min(1, Math.max(0, (x - a) / (b - a)));
    return t * t * (3 - 2 * t);
  }
}
