package org.noddildm.core.physics.anatomy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.noddildm.core.physics.phantom.SmoothField;

/**
 * One anatomical subject's geometry, drawn from its seed within a {@link Variation}: where the
 * template lies in the subject and what was done to it. A point q of the subject (RAS
 * millimetres, relative to the brain's centre) comes from the template point
 *
 * <pre>
 *   x = c + F R^T (q + u(q)) / s
 * </pre>
 *
 * with c the template's brain centre, F the optional left-right mirror diag(-1, 1, 1), R a
 * rotation about a random axis, s an isotropic scale and u a smooth random displacement field
 * (three {@link SmoothField}s of about 80 mm wavelength). The output grid's centre sits at
 * q = offset: for a grid smaller than the head, at a random brain voxel (kept inside the head's
 * box), so that crops hold brain; for a larger one, at a random offset that keeps the whole
 * head inside. A fibre direction d of the template maps with the forward Jacobian,
 * dq/dx = (I + grad u)^-1 R F s, i.e. it turns with the warp, and is then renormalised.
 * Lesions (ellipsoids) and the ventricle threshold live in template space.
 */
public final class SubjectPose {
  /** A white-matter lesion: ellipsoid centre and semi-axes in template millimetres. */
  public record Lesion(double[] centre, double[] semiAxes, double severity) {}

  private static final double WARP_FREQUENCY = 2 * Math.PI / 80; // radians per mm

  private final double[][] rot;
  private final double angleDeg;
  private final double[] axis;
  private final double scale;
  private final boolean flip;
  private final double[] offset;
  private final double warpMm;
  private final SmoothField[] warp;
  private final List<Lesion> lesions;
  private final double ventricleThreshold;
  private final double mixingExponent;
  private final double[] centre;

  private SubjectPose(double[][] rot, double angleDeg, double[] axis, double scale,
      boolean flip, double[] offset, double warpMm, SmoothField[] warp, List<Lesion> lesions,
      double ventricleThreshold, double mixingExponent, double[] centre) {
    this.rot = rot;
    this.angleDeg = angleDeg;
    this.axis = axis;
    this.scale = scale;
    this.flip = flip;
    this.offset = offset;
    this.warpMm = warpMm;
    this.warp = warp;
    this.lesions = List.copyOf(lesions);
    this.ventricleThreshold = ventricleThreshold;
    this.mixingExponent = mixingExponent;
    this.centre = centre;
  }

  /**
   * Draws a pose. Each aspect has its own random stream and always consumes the same numbers,
   * so changing one range (say the lesion count) leaves every other aspect of the subject alone.
   *
   * @param halfFov half the output field of view per axis, mm
   * @param mixingRnd the tissue-mixing exponent's stream, drawn from only when the variation
   *     varies it (so that subjects of the default variation stay as they were)
   */
  static SubjectPose draw(Variation v, AnatomyTemplate t, double[] halfFov,
      SplittableRandom pose, SplittableRandom warpRnd, SplittableRandom lesionRnd,
      SplittableRandom ventricleRnd, SplittableRandom mixingRnd) {
    double cz = 2 * pose.nextDouble() - 1;
    double phi = 2 * Math.PI * pose.nextDouble();
    double sz = Math.sqrt(1 - cz * cz);
    double[] axis = {sz * Math.cos(phi), sz * Math.sin(phi), cz};
    double angle = v.maxRotationDeg() * (2 * pose.nextDouble() - 1);
    double scale = 1 + v.scaleRange() * (2 * pose.nextDouble() - 1);
    boolean flip = pose.nextDouble() < v.flipProbability();
    double[][] rot = rotation(axis, Math.toRadians(angle));
    // a random brain voxel, where the template puts it in the subject (without the warp)
    int pick = t.brainSample[pose.nextInt(t.brainSample.length)];
    double[] xp = {t.origin[0] + t.voxel * (pick % t.nx) - t.centre[0],
        t.origin[1] + t.voxel * ((pick / t.nx) % t.ny) - t.centre[1],
        t.origin[2] + t.voxel * (pick / (t.nx * t.ny)) - t.centre[2]};
    if (flip) {
      xp[0] = -xp[0];
    }
    double[] offset = new double[3];
    for (int k = 0; k < 3; k++) {
      double extent = 0; // half-extent of the rotated, scaled head box along axis k
      double qk = 0;
      for (int j = 0; j < 3; j++) {
        extent += Math.abs(rot[k][j]) * t.halfExtent[j];
        qk += rot[k][j] * xp[j];
      }
      extent *= scale;
      qk *= scale;
      double u = 2 * pose.nextDouble() - 1;
      if (!v.randomPosition()) {
        continue;
      }
      if (extent > halfFov[k]) {
        // a grid smaller than the head is a crop inside its box, centred on the brain voxel
        // (as far as the box allows), so that crops hold brain rather than the box's corners
        double range = extent - halfFov[k];
        offset[k] = Math.max(-range, Math.min(range, qk));
      } else {
        // a larger grid holds the whole head at a random offset, with room for the warp
        offset[k] = Math.max(0, halfFov[k] - extent - 3 * v.warpMm()) * u;
      }
    }
    SmoothField[] warp = new SmoothField[3];
    for (int k = 0; k < 3; k++) {
      warp[k] = new SmoothField(warpRnd, 8, WARP_FREQUENCY);
    }
    int count = v.minLesions() + (int) Math.floor(lesionRnd.nextDouble()
        * (v.maxLesions() - v.minLesions() + 1));
    List<Lesion> lesions = new ArrayList<>();
    for (int k = 0; k < count && t.wmCore.length > 0; k++) {
      int i = t.wmCore[lesionRnd.nextInt(t.wmCore.length)];
      double[] c = {t.origin[0] + t.voxel * (i % t.nx),
          t.origin[1] + t.voxel * ((i / t.nx) % t.ny),
          t.origin[2] + t.voxel * (i / (t.nx * t.ny))};
      double[] semi = {3 + 5 * lesionRnd.nextDouble(), 3 + 5 * lesionRnd.nextDouble(),
          3 + 5 * lesionRnd.nextDouble()};
      lesions.add(new Lesion(c, semi, 0.6 + 0.4 * lesionRnd.nextDouble()));
    }
    boolean enlarge = ventricleRnd.nextDouble() < v.ventricleProbability();
    double threshold = 0.15 + 0.25 * ventricleRnd.nextDouble();
    double mixing = 1;
    if (v.variesMixing()) {
      double lo = Math.log(v.minMixingExponent());
      mixing = Math.exp(lo + (Math.log(v.maxMixingExponent()) - lo) * mixingRnd.nextDouble());
    }
    return new SubjectPose(rot, angle, axis, scale, flip, offset, v.warpMm(), warp, lesions,
        enlarge ? threshold : Double.NaN, mixing, t.centre.clone());
  }

  /** Rodrigues' rotation by {@code a} radians about the unit {@code u}. */
  static double[][] rotation(double[] u, double a) {
    double c = Math.cos(a);
    double s = Math.sin(a);
    double t = 1 - c;
    return new double[][] {
      {c + u[0] * u[0] * t, u[0] * u[1] * t - u[2] * s, u[0] * u[2] * t + u[1] * s},
      {u[1] * u[0] * t + u[2] * s, c + u[1] * u[1] * t, u[1] * u[2] * t - u[0] * s},
      {u[2] * u[0] * t - u[1] * s, u[2] * u[1] * t + u[0] * s, c + u[2] * u[2] * t}};
  }

  /** Where the output grid's centre lies relative to the brain centre (subject RAS, mm). */
  double[] offset() {
    return offset.clone();
  }

  /**
   * The template point x of subject point q, with {@code jw} = I + grad u(q) and {@code m} =
   * dx/dq = F R^T (I + grad u) / s.
   */
  void toTemplate(double[] q, double[] x, double[][] m, double[][] jw) {
    double[] y = q.clone();
    double[] g = new double[4];
    for (int k = 0; k < 3; k++) {
      java.util.Arrays.fill(jw[k], 0);
      jw[k][k] = 1;
      if (warpMm > 0) {
        warp[k].withGradient(q[0], q[1], q[2], g);
        y[k] += warpMm * g[0];
        for (int j = 0; j < 3; j++) {
          jw[k][j] += warpMm * g[j + 1];
        }
      }
    }
    for (int r = 0; r < 3; r++) {
      double sign = flip && r == 0 ? -1 : 1;
      double xr = 0;
      for (int j = 0; j < 3; j++) {
        xr += rot[j][r] * y[j]; // R^T y
        double mj = 0;
        for (int k = 0; k < 3; k++) {
          mj += rot[k][r] * jw[k][j];
        }
        m[r][j] = sign * mj / scale;
      }
      x[r] = centre[r] + sign * xr / scale;
    }
  }

  /** A template direction d in the subject frame: (I + grad u)^-1 R F d, unnormalised. */
  void direction(double[] d, double[][] jw, double[] out) {
    double[] fd = {flip ? -d[0] : d[0], d[1], d[2]};
    double[] rd = new double[3];
    for (int r = 0; r < 3; r++) {
      rd[r] = rot[r][0] * fd[0] + rot[r][1] * fd[1] + rot[r][2] * fd[2];
    }
    solve(jw, rd, out);
  }

  /** The strongest lesion effect at template point x: severity times a soft membership. */
  double lesion(double[] x) {
    double best = 0;
    for (Lesion l : lesions) {
      double r2 = 0;
      for (int k = 0; k < 3; k++) {
        double z = (x[k] - l.centre()[k]) / l.semiAxes()[k];
        r2 += z * z;
      }
      if (r2 < 1) {
        best = Math.max(best, l.severity() * (1 - Fields.smoothstep(0.5, 1.0, Math.sqrt(r2))));
      }
    }
    return best;
  }

  /** Threshold of the smoothed ventricle indicator that counts as ventricle; NaN: as is. */
  double ventricleThreshold() {
    return ventricleThreshold;
  }

  /**
   * The exponent g of the tissue mixing: each sub-voxel sample's fractions f become f^g,
   * renormalised ({@link Variation#minMixingExponent}); 1 leaves the template's.
   */
  public double mixingExponent() {
    return mixingExponent;
  }

  /** The lesions, in template millimetres. */
  public List<Lesion> lesions() {
    return lesions;
  }

  public boolean flipped() {
    return flip;
  }

  /** What was drawn, for the subject's provenance (subject.json). */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rotation_deg", angleDeg);
    m.put("rotation_axis", axis.clone());
    m.put("scale", scale);
    m.put("left_right_flip", flip);
    m.put("grid_centre_from_brain_centre_mm", offset.clone());
    m.put("warp_sd_mm", warpMm);
    List<Map<String, Object>> ls = new ArrayList<>();
    for (Lesion l : lesions) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("centre_template_mm", l.centre().clone());
      e.put("semi_axes_mm", l.semiAxes().clone());
      e.put("severity", l.severity());
      ls.add(e);
    }
    m.put("lesions", ls);
    m.put("enlarged_ventricles", !Double.isNaN(ventricleThreshold));
    if (!Double.isNaN(ventricleThreshold)) {
      m.put("ventricle_threshold", ventricleThreshold);
    }
    if (mixingExponent != 1) {
      m.put("tissue_mixing_exponent", mixingExponent);
    }
    return m;
  }

  /** Solves the 3 x 3 system a x = b by Cramer's rule (a is near the identity here). */
  private static void solve(double[][] a, double[] b, double[] x) {
    double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
        - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
        + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    for (int c = 0; c < 3; c++) {
      double[][] t = {a[0].clone(), a[1].clone(), a[2].clone()};
      for (int r = 0; r < 3; r++) {
        t[r][c] = b[r];
      }
      x[c] = (t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1])
          - t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0])
          + t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0])) / det;
    }
  }
}
