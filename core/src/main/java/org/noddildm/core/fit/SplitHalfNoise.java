package org.noddildm.core.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * How noisy a NODDI fit of a real scan is, from the scan alone: split its volumes into two
 * halves that each sample every shell with well spread directions, fit each half, and compare.
 * With independent noise in the halves, the fit of half the data has about twice the error
 * variance of the fit of all of it, so for each map
 *
 * <pre>
 *   var(A - B) = 2 var_half = 4 var_full,   sd_full = rms(A - B) / 2
 * </pre>
 *
 * (the repeatability approach of test-retest studies, applied within one scan). A method
 * scored against the full fit cannot score much better than a perfect prediction would, whose
 * error is the reference's own noise: PSNR ceiling = 20 log10(range / sd_full). The halves
 * share the b0 volume when the scan has only one, which makes them correlated and the estimate
 * low; {@link Result#sharedB0()} says so.
 */
public final class SplitHalfNoise {
  private SplitHalfNoise() {}

  /**
   * The estimate.
   *
   * @param sd per map (NDI, ODI, FWF), the full fit's noise sd in the mask (NDI and ODI where
   *     the full fit's FWF is below {@code freeWater})
   * @param halves the two halves' volume indices
   * @param sharedB0 true when both halves use the same (only) b0 volume
   */
  public record Result(double[] sd, int[][] halves, boolean sharedB0) {
    /** 20 log10(range / sd) per map: what a perfect prediction would score. */
    public double[] psnrCeiling(double range) {
      double[] c = new double[sd.length];
      for (int t = 0; t < sd.length; t++) {
        c[t] = 20 * Math.log10(range / sd[t]);
      }
      return c;
    }
  }

  /**
   * Two halves of the volumes: b0 volumes alternate; each shell's directions are put in a
   * farthest-point order on axes (+-v the same) and dealt alternately, so both halves cover the
   * sphere.
   */
  public static int[][] halves(GradientTable table) {
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    int[] b0 = table.b0Indices();
    BadArgumentException.require(b0.length >= 1, "split-half noise: expected a b0 volume,"
        + " found none");
    for (int i = 0; i < b0.length; i++) {
      (i % 2 == 0 ? a : b).add(b0[i]);
    }
    if (b0.length == 1) {
      b.add(b0[0]);
    }
    for (GradientTable.Shell s : table.shells()) {
      BadArgumentException.require(s.count() >= 6, "split-half noise: expected at least 6"
          + " directions per shell (3 per half), found " + s.count() + " at b="
          + Math.round(s.bvalue()));
      int[] order = farthestPointOrder(table, s.indices());
      for (int k = 0; k < order.length; k++) {
        (k % 2 == 0 ? a : b).add(order[k]);
      }
    }
    int[][] h = {a.stream().mapToInt(Integer::intValue).sorted().toArray(),
        b.stream().mapToInt(Integer::intValue).sorted().toArray()};
    return h;
  }

  /** Fits both halves of {@code dwi} in {@code mask} and compares them. */
  public static Result estimate(Volume dwi, GradientTable table, Mask mask,
      double freeWater) {
    table.requireVolumes(dwi.nt());
    int[][] h = halves(table);
    Volume fa = ClassicEstimate.of(dwi.volumes(h[0]), table.select(h[0]), mask).maps();
    Volume fb = ClassicEstimate.of(dwi.volumes(h[1]), table.select(h[1]), mask).maps();
    double[] sd = new double[3];
    for (int t = 0; t < 3; t++) {
      double ss = 0;
      int n = 0;
      for (int i : mask.indices()) {
        double fw = 0.5 * (fa.at(i, 2) + fb.at(i, 2));
        if (t < 2 && fw >= freeWater) {
          continue;
        }
        double d = fa.at(i, t) - fb.at(i, t);
        ss += d * d;
        n++;
      }
      sd[t] = n == 0 ? Double.NaN : Math.sqrt(ss / n) / 2;
    }
    return new Result(sd, h, table.b0Indices().length == 1);
  }

  /** Greedy farthest-point order of the given volumes' directions, starting at the first. */
  static int[] farthestPointOrder(GradientTable table, int[] idx) {
    int n = idx.length;
    boolean[] used = new boolean[n];
    double[] closest = new double[n];
    Arrays.fill(closest, Double.POSITIVE_INFINITY);
    int[] order = new int[n];
    int cur = 0;
    for (int k = 0; k < n; k++) {
      used[cur] = true;
      order[k] = idx[cur];
      double[] v = table.bvec(idx[cur]);
      int next = -1;
      for (int j = 0; j < n; j++) {
        if (used[j]) {
          continue;
        }
        double[] w = table.bvec(idx[j]);
        double cos = Math.abs(v[0] * w[0] + v[1] * w[1] + v[2] * w[2]);
        closest[j] = Math.min(closest[j], Math.acos(Math.min(1, cos)));
        if (next < 0 || closest[j] > closest[next]) {
          next = j;
        }
      }
      cur = next < 0 ? 0 : next;
    }
    return order;
  }
}
