package org.noddildm.core.physics;

import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;

/**
 * Picks a shorter protocol out of a full one, as a clinical scan would sample fewer directions:
 * per kept shell, a well spread subset by greedy farthest-point selection on axes (the angle
 * between +-v), starting from the shell's first volume; plus the first b0 volumes. Deterministic.
 */
public final class DirectionSubset {
  private DirectionSubset() {}

  /**
   * Volume indices (in the table's order) to keep.
   *
   * @param table the full protocol
   * @param perShell directions kept per shell (all when the shell has fewer)
   * @param shells b-values of the shells to keep (nearest shell within its tolerance), or null
   *     for all
   * @param b0 number of b0 volumes to keep (all when fewer)
   */
  public static int[] select(GradientTable table, int perShell, double[] shells, int b0) {
    BadArgumentException.require(perShell >= 1,
        "directions per shell: expected >= 1, found " + perShell);
    BadArgumentException.require(b0 >= 0, "b0 count: expected >= 0, found " + b0);
    List<Integer> keep = new ArrayList<>();
    int[] zeros = table.b0Indices();
    for (int i = 0; i < Math.min(b0, zeros.length); i++) {
      keep.add(zeros[i]);
    }
    List<GradientTable.Shell> chosen = new ArrayList<>();
    if (shells == null) {
      chosen.addAll(table.shells());
    } else {
      for (double b : shells) {
        GradientTable.Shell best = null;
        for (GradientTable.Shell s : table.shells()) {
          if (Math.abs(s.bvalue() - b) <= GradientTable.DEFAULT_SHELL_TOLERANCE
              && (best == null || Math.abs(s.bvalue() - b) < Math.abs(best.bvalue() - b))) {
            best = s;
          }
        }
        BadArgumentException.require(best != null, "shell b=" + b + ": expected it among the"
            + " table's shells, found only " + table.summary());
        chosen.add(best);
      }
    }
    for (GradientTable.Shell s : chosen) {
      for (int i : farthestPoints(table, s.indices(), perShell)) {
        keep.add(i);
      }
    }
    return keep.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /**
   * The volumes of {@code full} that form {@code target}: its number of b0 volumes and, for each
   * of its shells, that many well spread directions of the full table's nearest shell.
   */
  public static int[] select(GradientTable full, Protocol target) {
    List<Integer> keep = new ArrayList<>();
    int[] zeros = full.b0Indices();
    BadArgumentException.require(zeros.length >= target.b0(), "protocol " + target.name()
        + ": expected at least " + target.b0() + " b0 volumes in the full table, found "
        + zeros.length);
    for (int i = 0; i < target.b0(); i++) {
      keep.add(zeros[i]);
    }
    for (Protocol.Shell want : target.shells()) {
      GradientTable.Shell best = null;
      for (GradientTable.Shell s : full.shells()) {
        if (best == null || Math.abs(s.bvalue() - want.b()) < Math.abs(best.bvalue() - want.b())) {
          best = s;
        }
      }
      BadArgumentException.require(best != null
          && Math.abs(best.bvalue() - want.b()) <= GradientTable.DEFAULT_SHELL_TOLERANCE
          && best.count() >= want.directions(), "shell b=" + want.b() + " x "
          + want.directions() + ": expected it within the full protocol, found " + full.summary());
      for (int i : farthestPoints(full, best.indices(), want.directions())) {
        keep.add(i);
      }
    }
    return keep.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  private static int[] farthestPoints(GradientTable table, int[] idx, int count) {
    int n = idx.length;
    if (count >= n) {
      return idx.clone();
    }
    double[][] g = new double[n][];
    for (int i = 0; i < n; i++) {
      g[i] = table.bvec(idx[i]);
    }
    double[] nearest = new double[n]; // |cos| to the nearest chosen axis (smaller = farther)
    java.util.Arrays.fill(nearest, -1);
    boolean[] taken = new boolean[n];
    int[] out = new int[count];
    int next = 0;
    for (int k = 0; k < count; k++) {
      taken[next] = true;
      out[k] = idx[next];
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (taken[i]) {
          continue;
        }
        double c = Math.abs(g[i][0] * g[next][0] + g[i][1] * g[next][1] + g[i][2] * g[next][2]);
        nearest[i] = Math.max(nearest[i], c);
        if (best < 0 || nearest[i] < nearest[best]) {
          best = i;
        }
      }
      next = best;
    }
    return out;
  }
}
