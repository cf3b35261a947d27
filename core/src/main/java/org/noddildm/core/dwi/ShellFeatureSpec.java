package org.noddildm.core.dwi;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.noddildm.core.BadArgumentException;

/**
 * Which direction-independent features are made from a DWI (see {@link ShellFeatures}): the
 * shells that must be present and the SH order per shell.
 *
 * @param shells nominal b-values in s/mm^2, increasing (e.g. 1000, 2000)
 * @param lmax even SH order per shell (default 4: 15 coefficients per shell)
 * @param lambda Laplace-Beltrami regularisation of the SH fit (default 0.006, as dipy's CSA)
 * @param tolerance how far a scan's shell may lie from a nominal b-value, s/mm^2 (default 100)
 */
public record ShellFeatureSpec(double[] shells, int lmax, double lambda, double tolerance) {
  public ShellFeatureSpec {
    BadArgumentException.require(shells.length >= 1,
        "feature spec: expected at least one shell, found none");
    for (int i = 1; i < shells.length; i++) {
      BadArgumentException.require(shells[i] > shells[i - 1],
          "feature spec: expected increasing shells, found " + Arrays.toString(shells));
    }
    SphericalHarmonics.count(lmax);
    BadArgumentException.require(lambda >= 0, "SH lambda: expected >= 0, found " + lambda);
    BadArgumentException.require(tolerance > 0, "tolerance: expected > 0, found " + tolerance);
    shells = shells.clone();
  }

  /** The shells of {@code table} with order 4 and default settings. */
  public static ShellFeatureSpec of(GradientTable table) {
    double[] b = table.shells().stream().mapToDouble(GradientTable.Shell::bvalue).toArray();
    return new ShellFeatureSpec(b, 4, 0.006, 100);
  }

  /** Feature channels: 1 (normalised S0) + shells x SH coefficients. */
  public int channels() {
    return 1 + shells.length * SphericalHarmonics.count(lmax);
  }

  /** For each nominal shell, the matching shell of {@code table}; throws naming both lists. */
  public GradientTable.Shell[] match(GradientTable table) {
    List<GradientTable.Shell> have = table.shells();
    GradientTable.Shell[] out = new GradientTable.Shell[shells.length];
    for (int i = 0; i < shells.length; i++) {
      for (GradientTable.Shell s : have) {
        if (Math.abs(s.bvalue() - shells[i]) <= tolerance) {
          out[i] = s;
        }
      }
      if (out[i] == null) {
        throw new BadArgumentException("the model expects shells " + describe()
            + " (within " + (int) tolerance + " s/mm^2), found " + table.summary());
      }
    }
    return out;
  }

  /** "b=1000, b=2000". */
  public String describe() {
    return Arrays.stream(shells).mapToObj(b -> String.format(Locale.ROOT, "b=%.0f", b))
        .collect(Collectors.joining(", "));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShellFeatureSpec s && Arrays.equals(shells, s.shells) && lmax == s.lmax
        && lambda == s.lambda && tolerance == s.tolerance;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shells) * 31 + lmax;
  }

  @Override
  public String toString() {
    return "ShellFeatureSpec[" + describe() + ", lmax=" + lmax + ", lambda=" + lambda
        + ", tolerance=" + tolerance + "]";
  }
}
