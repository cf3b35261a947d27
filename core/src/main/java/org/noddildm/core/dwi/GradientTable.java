package org.noddildm.core.dwi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.VoxelOrder;

/**
 * The diffusion weighting of each volume of a DWI: b-values in s/mm^2 and unit gradient
 * directions, in the voxel-axis frame FSL uses for bvec files. Immutable and self-checking:
 * near-unit vectors are normalised (with a warning), zero vectors are accepted only on b0
 * volumes, b0 volumes are those with b at or below a threshold (default 50 s/mm^2, as dipy), and
 * the other volumes are grouped into shells of nearby b-values.
 */
public final class GradientTable {
  /** b-values at or below this count as b0 unless told otherwise (dipy's default). */
  public static final double DEFAULT_B0_THRESHOLD = 50;
  /** b-values within this of a shell's first value join that shell. */
  public static final double DEFAULT_SHELL_TOLERANCE = 100;
  private static final double UNIT_TOLERANCE = 0.1;

  private final double[] bvals;
  private final double[][] bvecs;
  private final double b0Threshold;
  private final boolean[] b0;
  private final List<Shell> shells;
  private final List<String> warnings;

  /**
   * One shell: a nominal b-value (the mean of its volumes' b-values, rounded to an integer) and
   * the indices of its volumes.
   */
  public record Shell(double bvalue, int[] indices) {
    public int count() {
      return indices.length;
    }
  }

  /** A table with the default b0 threshold and shell tolerance. */
  public static GradientTable of(double[] bvals, double[][] bvecs) {
    return new GradientTable(bvals, bvecs, DEFAULT_B0_THRESHOLD, DEFAULT_SHELL_TOLERANCE);
  }

  public GradientTable(double[] bvals, double[][] bvecs, double b0Threshold,
      double shellTolerance) {
    BadArgumentException.require(bvals.length == bvecs.length, "gradient table: expected as"
        + " many b-vectors as b-values (" + bvals.length + "), found " + bvecs.length);
    BadArgumentException.require(bvals.length > 0,
        "gradient table: expected at least one volume, found 0");
    List<String> warn = new ArrayList<>();
    this.bvals = bvals.clone();
    this.bvecs = new double[bvecs.length][];
    this.b0Threshold = b0Threshold;
    this.b0 = new boolean[bvals.length];
    int normalised = 0;
    int undefinedB0 = 0;
    for (int i = 0; i < bvals.length; i++) {
      double b = bvals[i];
      BadArgumentException.require(Double.isFinite(b) && b >= 0,
          "b-value " + i + ": expected a finite value >= 0, found " + b);
      double[] g = bvecs[i];
      BadArgumentException.require(g.length == 3,
          "b-vector " + i + ": expected 3 components, found " + g.length);
      b0[i] = b <= b0Threshold;
      boolean finite = Double.isFinite(g[0]) && Double.isFinite(g[1]) && Double.isFinite(g[2]);
      if (b0[i] && !finite) {
        // Some scanners' tables give NaN directions for b0 volumes: harmless, record it.
        undefinedB0++;
        this.bvecs[i] = new double[3];
        continue;
      }
      for (double c : g) {
        BadArgumentException.require(Double.isFinite(c),
            "b-vector " + i + ": expected finite components, found " + c);
      }
      double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
      if (b0[i]) {
        this.bvecs[i] = norm == 0 ? new double[3] : new double[] {g[0] / norm, g[1] / norm,
            g[2] / norm};
        continue;
      }
      BadArgumentException.require(norm > 0, "b-vector " + i + ": expected a unit vector for"
          + " b = " + b + " s/mm^2, found a zero vector");
      BadArgumentException.require(Math.abs(norm - 1) <= UNIT_TOLERANCE, "b-vector " + i
          + ": expected unit length (within " + UNIT_TOLERANCE + "), found length " + norm);
      if (Math.abs(norm - 1) > 1e-4) {
        normalised++;
      }
      this.bvecs[i] = new double[] {g[0] / norm, g[1] / norm, g[2] / norm};
    }
    if (undefinedB0 > 0) {
      warn.add(undefinedB0 + " b0 volumes had NaN directions, taken as zero vectors");
    }
    if (normalised > 0) {
      warn.add(normalised + " b-vectors were not unit length and were normalised");
    }
    this.shells = groupShells(this.bvals, b0, shellTolerance);
    if (shells.isEmpty()) {
      warn.add("no diffusion-weighted volumes: every b-value is <= " + b0Threshold);
    }
    int b0count = 0;
    for (boolean z : b0) {
      b0count += z ? 1 : 0;
    }
    if (b0count == 0) {
      warn.add("no b0 volume (b <= " + b0Threshold + " s/mm^2)");
    }
    this.warnings = Collections.unmodifiableList(warn);
  }

  private static List<Shell> groupShells(double[] bvals, boolean[] b0, double tol) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < bvals.length; i++) {
      if (!b0[i]) {
        order.add(i);
      }
    }
    order.sort((a, b) -> Double.compare(bvals[a], bvals[b]));
    List<Shell> out = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    double first = Double.NaN;
    for (int i : order) {
      if (!current.isEmpty() && bvals[i] - first > tol) {
        out.add(toShell(current, bvals));
        current.clear();
      }
      if (current.isEmpty()) {
        first = bvals[i];
      }
      current.add(i);
    }
    if (!current.isEmpty()) {
      out.add(toShell(current, bvals));
    }
    return Collections.unmodifiableList(out);
  }

  private static Shell toShell(List<Integer> members, double[] bvals) {
    int[] idx = members.stream().mapToInt(Integer::intValue).sorted().toArray();
    double sum = 0;
    for (int i : idx) {
      sum += bvals[i];
    }
    return new Shell(Math.rint(sum / idx.length), idx);
  }

  /** Number of volumes. */
  public int size() {
    return bvals.length;
  }

  public double bval(int i) {
    return bvals[i];
  }

  /** Unit direction of volume i (zero for a b0 without direction); a copy. */
  public double[] bvec(int i) {
    return bvecs[i].clone();
  }

  /** All b-values, a copy. */
  public double[] bvals() {
    return bvals.clone();
  }

  /** All directions as n x 3, a copy. */
  public double[][] bvecs() {
    double[][] out = new double[bvecs.length][];
    for (int i = 0; i < out.length; i++) {
      out[i] = bvecs[i].clone();
    }
    return out;
  }

  public boolean isB0(int i) {
    return b0[i];
  }

  /** Indices of the b0 volumes. */
  public int[] b0Indices() {
    int count = 0;
    for (boolean z : b0) {
      count += z ? 1 : 0;
    }
    int[] out = new int[count];
    for (int i = 0, k = 0; i < b0.length; i++) {
      if (b0[i]) {
        out[k++] = i;
      }
    }
    return out;
  }

  public double b0Threshold() {
    return b0Threshold;
  }

  /** Diffusion-weighted shells in increasing b. */
  public List<Shell> shells() {
    return shells;
  }

  /** Usable oddities found while building the table, e.g. normalised vectors. */
  public List<String> warnings() {
    return warnings;
  }

  /** The table restricted to the given volumes, in that order. */
  public GradientTable select(int[] indices) {
    double[] b = new double[indices.length];
    double[][] g = new double[indices.length][];
    for (int k = 0; k < indices.length; k++) {
      b[k] = bvals[indices[k]];
      g[k] = bvecs[indices[k]].clone();
    }
    return new GradientTable(b, g, b0Threshold, DEFAULT_SHELL_TOLERANCE);
  }

  /** Throws unless the table has one entry per volume of an image with {@code nt} volumes. */
  public void requireVolumes(int nt) {
    BadArgumentException.require(nt == bvals.length, "gradient table has " + bvals.length
        + " entries, but the image has " + nt + " volumes; expected them to match");
  }

  /** "b0 x 6, b=1000 x 30, b=2000 x 60": a one-line summary. */
  public String summary() {
    StringBuilder sb = new StringBuilder("b0 x " + b0Indices().length);
    for (Shell s : shells) {
      sb.append(String.format(", b=%.0f x %d", s.bvalue(), s.count()));
    }
    return sb.toString();
  }

  /**
   * This table in the canonical grid's FSL frame of {@code order} ({@link VoxelOrder#bvecs}),
   * with the default shell tolerance.
   */
  public GradientTable inCanonicalOrder(VoxelOrder order) {
    return new GradientTable(bvals(), order.bvecs(bvecs()), b0Threshold(),
        DEFAULT_SHELL_TOLERANCE);
  }
}
