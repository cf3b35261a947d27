package org.noddildm.core.physics.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * White-matter fibre bundles of the phantom, in brain space (see {@link BrainGeometry}): a
 * callosum-like sheet of left-right arcs that fan upward into both hemispheres, and tubes along
 * quadratic Bezier curves for vertical projection tracts (corticospinal-like), association tracts
 * (superior longitudinal and inferior fronto-occipital-like) and the cingulum. Paths and radii
 * follow the seed. A point's membership weight in a bundle falls smoothly from 1 in the core to
 * 0 at the bundle's radius; the fibre direction is the bundle's local tangent.
 */
final class FibreBundles {
  private static final int SAMPLES = 48;

  /** Which bundles a point belongs to, strongest first. */
  static final class Hit {
    double w1;
    double w2;
    double odi1;
    final double[] t1 = new double[3];
    final double[] t2 = new double[3];
    double cos12;
  }

  private record Tube(double[][] path, double[][] tangent, double radius, double odi,
      double[] lo, double[] hi) {}

  private final BrainGeometry geometry;
  private final List<Tube> tubes = new ArrayList<>();
  private final double ccFan;
  private final double ccOdi;

  FibreBundles(SplittableRandom rnd, BrainGeometry geometry) {
    this.geometry = geometry;
    this.ccFan = 0.5 + 0.3 * rnd.nextDouble();
    this.ccOdi = 0.05 + 0.04 * rnd.nextDouble();
    for (int s = -1; s <= 1; s += 2) {
      // corticospinal-like projection
      add(rnd, s, new double[][] {{0.15, -0.10, -0.95}, {0.22, -0.05, 0.0}, {0.38, 0.0, 0.72}},
          0.09, 0.08);
      // superior longitudinal fasciculus-like association tract
      add(rnd, s, new double[][] {{0.50, -0.60, 0.12}, {0.55, 0.0, 0.45}, {0.45, 0.60, 0.20}},
          0.08, 0.12);
      // inferior fronto-occipital-like association tract
      add(rnd, s, new double[][] {{0.45, -0.75, -0.12}, {0.50, 0.0, -0.28}, {0.40, 0.70, -0.02}},
          0.07, 0.11);
      // cingulum above the callosum
      add(rnd, s, new double[][] {{0.16, -0.55, 0.12}, {0.16, 0.0, 0.40}, {0.16, 0.55, 0.08}},
          0.045, 0.10);
    }
  }

  private void add(SplittableRandom rnd, int side, double[][] nominal, double radius,
      double odi) {
    double[][] p = new double[3][3];
    for (int k = 0; k < 3; k++) {
      for (int c = 0; c < 3; c++) {
        p[k][c] = nominal[k][c] + 0.09 * (rnd.nextDouble() - 0.5);
      }
      p[k][0] *= side;
    }
    double r = radius * (0.85 + 0.3 * rnd.nextDouble());
    double o = odi * (0.8 + 0.4 * rnd.nextDouble());
    double[][] path = new double[SAMPLES][3];
    double[][] tan = new double[SAMPLES][3];
    double[] lo = {1e9, 1e9, 1e9};
    double[] hi = {-1e9, -1e9, -1e9};
    for (int i = 0; i < SAMPLES; i++) {
      double t = i / (SAMPLES - 1.0);
      double a = (1 - t) * (1 - t);
      double b = 2 * t * (1 - t);
      double c = t * t;
      for (int k = 0; k < 3; k++) {
        path[i][k] = a * p[0][k] + b * p[1][k] + c * p[2][k];
        tan[i][k] = 2 * (1 - t) * (p[1][k] - p[0][k]) + 2 * t * (p[2][k] - p[1][k]);
        lo[k] = Math.min(lo[k], path[i][k] - r);
        hi[k] = Math.max(hi[k], path[i][k] + r);
      }
      normalise(tan[i]);
    }
    tubes.add(new Tube(path, tan, r, o, lo, hi));
  }

  /** Membership of the brain-space point q in the bundles, written to hit. */
  void evaluate(double x, double y, double z, Hit hit) {
    hit.w1 = 0;
    hit.w2 = 0;
    // callosal sheet: z = zcc(y) + fan * x^2 for |x| < 0.7
    double ay = Math.abs(y) / geometry.ccLength;
    if (ay < 1.1 && Math.abs(x) < 0.75) {
      double zs = geometry.callosumZ(y) + ccFan * x * x;
      double slope = 2 * ccFan * x;
      double dist = Math.abs(z - zs) / Math.sqrt(1 + slope * slope);
      double half = 0.05 + 0.035 * Math.pow(Math.min(ay, 1), 4);
      double w = falloff(dist / half) * (1 - BrainGeometry.smoothstep(0.95, 1.1, ay))
          * (1 - BrainGeometry.smoothstep(0.6, 0.75, Math.abs(x)));
      if (w > 0) {
        double n = Math.sqrt(1 + slope * slope);
        offer(hit, w, 1 / n, 0, slope / n, ccOdi * (1 + 2 * x * x));
      }
    }
    for (Tube tube : tubes) {
      if (x < tube.lo[0] || y < tube.lo[1] || z < tube.lo[2] || x > tube.hi[0]
          || y > tube.hi[1] || z > tube.hi[2]) {
        continue;
      }
      int best = 0;
      double bestD = Double.MAX_VALUE;
      for (int i = 0; i < SAMPLES; i++) {
        double dx = x - tube.path[i][0];
        double dy = y - tube.path[i][1];
        double dz = z - tube.path[i][2];
        double d = dx * dx + dy * dy + dz * dz;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      double w = falloff(Math.sqrt(bestD) / tube.radius);
      if (w > 0) {
        double[] t = tube.tangent[best];
        offer(hit, w, t[0], t[1], t[2], tube.odi);
      }
    }
  }

  private static void offer(Hit hit, double w, double tx, double ty, double tz, double odi) {
    if (w > hit.w1) {
      hit.w2 = hit.w1;
      System.arraycopy(hit.t1, 0, hit.t2, 0, 3);
      hit.w1 = w;
      hit.odi1 = odi;
      hit.t1[0] = tx;
      hit.t1[1] = ty;
      hit.t1[2] = tz;
    } else if (w > hit.w2) {
      hit.w2 = w;
      hit.t2[0] = tx;
      hit.t2[1] = ty;
      hit.t2[2] = tz;
    }
    hit.cos12 = hit.w2 > 0 ? Math.abs(hit.t1[0] * hit.t2[0] + hit.t1[1] * hit.t2[1]
        + hit.t1[2] * hit.t2[2]) : 1;
  }

  /** 1 inside 60% of the radius, smoothly 0 at the radius. */
  private static double falloff(double r) {
    return 1 - BrainGeometry.smoothstep(0.6, 1.0, r);
  }

  private static void normalise(double[] v) {
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    v[0] /= n;
    v[1] /= n;
    v[2] /= n;
  }
}
