package org.noddildm.core.physics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;

/**
 * An acquisition protocol as data: a number of b0 volumes and shells of (b-value, number of
 * directions). {@link #table()} turns it into a gradient table with well spread
 * {@link Directions#electrostatic electrostatic-repulsion} directions per shell (each shell
 * rotated so that shells do not share directions), b0 volumes first.
 *
 * @param name a label for messages and dataset.json
 * @param b0 number of b = 0 volumes
 * @param shells diffusion-weighted shells, in acquisition order
 */
public record Protocol(String name, int b0, List<Shell> shells) {
  /** One shell: b-value in s/mm^2 and number of directions. */
  public record Shell(double b, int directions) {
    public Shell {
      BadArgumentException.require(b > 0 && b <= 30000,
          "shell: expected a b-value in (0, 30000] s/mm^2, found " + b);
      BadArgumentException.require(directions >= 1 && directions <= 2000,
          "shell b=" + b + ": expected 1 to 2000 directions, found " + directions);
    }
  }

  /** HCP-like: 18 b0, b = 1000, 2000, 3000 s/mm^2 with 90 directions each (Sotiropoulos 2013). */
  public static final Protocol HCP = new Protocol("hcp", 18,
      List.of(new Shell(1000, 90), new Shell(2000, 90), new Shell(3000, 90)));
  /** The NODDI protocol of Zhang et al. 2012: 9 b0, b = 700 x 30, b = 2000 x 60. */
  public static final Protocol NODDI = new Protocol("noddi", 9,
      List.of(new Shell(700, 30), new Shell(2000, 60)));
  /** A short clinical two-shell scan: 4 b0, b = 1000 x 30, b = 2000 x 30. */
  public static final Protocol CLINICAL = new Protocol("clinical", 4,
      List.of(new Shell(1000, 30), new Shell(2000, 30)));

  public Protocol {
    BadArgumentException.require(name != null && !name.isBlank(),
        "protocol: expected a name, found none");
    BadArgumentException.require(b0 >= 0, "protocol: expected >= 0 b0 volumes, found " + b0);
    shells = List.copyOf(shells);
    BadArgumentException.require(b0 + shells.size() > 0,
        "protocol: expected at least one volume, found none");
  }

  /**
   * A named protocol (hcp, noddi, clinical) or a spec such as {@code 0x6,1000x30,2000x60}: a
   * comma-separated list of b-value x count, where b-value 0 counts b0 volumes.
   */
  public static Protocol parse(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "hcp":
        return HCP;
      case "noddi":
        return NODDI;
      case "clinical":
        return CLINICAL;
      default:
        break;
    }
    int b0 = 0;
    List<Shell> shells = new ArrayList<>();
    for (String part : s.split(",")) {
      String[] bc = part.trim().split("x");
      BadArgumentException.require(bc.length == 2, "protocol: expected hcp, noddi, clinical or"
          + " a list like 0x6,1000x30,2000x60 (b-value x count), found '" + spec + "'");
      double b;
      int count;
      try {
        b = Double.parseDouble(bc[0].trim());
        count = Integer.parseInt(bc[1].trim());
      } catch (NumberFormatException e) {
        throw new BadArgumentException("protocol: expected numbers in 'b-value x count', found '"
            + part.trim() + "' in '" + spec + "'");
      }
      if (b == 0) {
        b0 += count;
      } else {
        shells.add(new Shell(b, count));
      }
    }
    return new Protocol(s, b0, shells);
  }

  /** Total number of volumes. */
  public int volumes() {
    int n = b0;
    for (Shell sh : shells) {
      n += sh.directions();
    }
    return n;
  }

  /** The gradient table: b0 volumes first, then each shell's repulsion directions. */
  public GradientTable table() {
    int n = volumes();
    double[] bvals = new double[n];
    double[][] bvecs = new double[n][];
    int k = 0;
    for (int i = 0; i < b0; i++) {
      bvecs[k++] = new double[3];
    }
    for (int s = 0; s < shells.size(); s++) {
      Shell sh = shells.get(s);
      double[][] dirs = Directions.electrostatic(sh.directions());
      double[][] rot = rotation(s);
      for (double[] d : dirs) {
        bvals[k] = sh.b();
        bvecs[k++] = apply(rot, d);
      }
    }
    return GradientTable.of(bvals, bvecs);
  }

  /** "clinical: b0 x 4, b=1000 x 30, b=2000 x 30". */
  public String summary() {
    StringBuilder sb = new StringBuilder(name + ": b0 x " + b0);
    for (Shell sh : shells) {
      sb.append(String.format(Locale.ROOT, ", b=%.0f x %d", sh.b(), sh.directions()));
    }
    return sb.toString();
  }

  /** Rotation by 0.7 s rad about (1, 2, 3)/|.|: shell s = 0 is unrotated. */
  private static double[][] rotation(int s) {
    double[] u = {1 / Math.sqrt(14), 2 / Math.sqrt(14), 3 / Math.sqrt(14)};
    double a = 0.7 * s;
    double c = Math.cos(a);
    double sn = Math.sin(a);
    double t = 1 - c;
    return new double[][] {
      {c + u[0] * u[0] * t, u[0] * u[1] * t - u[2] * sn, u[0] * u[2] * t + u[1] * sn},
      {u[1] * u[0] * t + u[2] * sn, c + u[1] * u[1] * t, u[1] * u[2] * t - u[0] * sn},
      {u[2] * u[0] * t - u[1] * sn, u[2] * u[1] * t + u[0] * sn, c + u[2] * u[2] * t}
    };
  }

  private static double[] apply(double[][] r, double[] d) {
    double[] o = new double[3];
    for (int i = 0; i < 3; i++) {
      o[i] = r[i][0] * d[0] + r[i][1] * d[1] + r[i][2] * d[2];
    }
    return o;
  }
}
