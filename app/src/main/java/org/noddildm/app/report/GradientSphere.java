package org.noddildm.app.report;

import java.util.Locale;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.Directions;

/**
 * The gradient directions of each shell on the sphere, as inline SVG: one chart per shell, the
 * Lambert azimuthal equal-area projection of the upper hemisphere (+z at the centre, the equator
 * on the rim), so that a well spread scheme looks evenly dotted and a gap or a cluster shows.
 * A direction and its antipode measure the same thing, so each vector with z &lt; 0 is drawn as
 * its antipode, as an open circle (the filled dots are the vectors as written). The caption
 * gives the b-value, the count and the smallest angle between two directions (antipodes as one;
 * 0 flags a repeated direction).
 *
 * <p>The projection of a unit vector at polar angle theta and azimuth phi is the point at radius
 * {@code r = sqrt(2) sin(theta / 2)} (0 at the pole, 1 on the equator) and angle phi, x to the
 * right and y up, in the frame of the b-vectors (FSL: the image's voxel axes).
 */
final class GradientSphere {
  private static final int SIZE = 200;
  private static final double C = SIZE / 2.0;
  private static final double R = 80;

  private GradientSphere() {}

  /** One figure per shell, in increasing b; a note when the table has no shell. */
  static String html(GradientTable table) {
    if (table.shells().isEmpty()) {
      return "<p class=\"note\">The scan has no diffusion-weighted shell.</p>\n";
    }
    StringBuilder h = new StringBuilder("<div class=\"hists\">");
    for (GradientTable.Shell s : table.shells()) {
      h.append(figure(table, s));
    }
    return h.append("</div>\n").toString();
  }

  /** The figure of one shell: its SVG and caption. */
  static String figure(GradientTable table, GradientTable.Shell shell) {
    double[][] dirs = new double[shell.count()][];
    for (int k = 0; k < dirs.length; k++) {
      dirs[k] = table.bvec(shell.indices()[k]);
    }
    String b = String.format(Locale.ROOT, "%.0f", shell.bvalue());
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<figure style=\"margin:0\">"
        + "<svg class=\"sphere\" data-b=\"%s\" data-count=\"%d\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"gradient directions of b=%s\">",
        b, dirs.length, SIZE, SIZE, SIZE, SIZE, b));
    s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\""
        + " fill=\"#1a1a1a\" stroke=\"#666\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\""
        + " y2=\"%.1f\" stroke=\"#444\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
        + " stroke=\"#444\"/>", C, C, R, C - R, C, C + R, C, C, C - R, C, C + R));
    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#ccc\""
        + " font-size=\"11\">+x</text><text x=\"%.1f\" y=\"%.1f\" fill=\"#ccc\" font-size=\"11\""
        + " text-anchor=\"middle\">+y</text>", C + R + 2, C + 4, C, C - R - 3));
    for (double[] g : dirs) {
      boolean flipped = g[2] < 0;
      double[] p = project(flipped ? new double[] {-g[0], -g[1], -g[2]} : g);
      s.append(String.format(Locale.ROOT, "<circle class=\"g\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\""
          + " %s/>", C + R * p[0], C - R * p[1], flipped
              ? "fill=\"none\" stroke=\"#ffb000\" stroke-width=\"1.2\"" : "fill=\"#ffb000\""));
    }
    s.append("</svg><figcaption class=\"note\">").append(String.format(Locale.ROOT,
        "b=%s s/mm&sup2;: %d directions, closest pair %.1f&deg; apart", b, dirs.length,
        Directions.minAngleDegrees(dirs))).append("</figcaption></figure>");
    return s.toString();
  }

  /** (x, y) in the unit disc of the equal-area projection of a unit vector with z &gt;= 0. */
  static double[] project(double[] g) {
    double theta = Math.acos(Math.max(-1, Math.min(1, g[2])));
    double r = Math.sqrt(2) * Math.sin(theta / 2);
    double phi = Math.atan2(g[1], g[0]);
    return new double[] {r * Math.cos(phi), r * Math.sin(phi)};
  }
}
