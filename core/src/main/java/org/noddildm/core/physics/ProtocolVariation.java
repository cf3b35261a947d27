package org.noddildm.core.physics;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;

/**
 * Random scan protocols for training, so that a model does not learn one protocol: per subject
 * a number of b0 volumes, per shell a number of well spread directions (the
 * {@link Directions#electrostatic electrostatic-repulsion} set of that size under a random
 * rotation), each volume's b-value jittered around its shell's, and a b0 SNR.
 *
 * <p>The jitter is at most {@code jitter} of the b-value and at most
 * {@value #SHELL_SPREAD} times {@link GradientTable#DEFAULT_SHELL_TOLERANCE} (100 s/mm^2): the
 * shell grouping joins b-values within the tolerance of a shell's smallest one, so the spread of
 * a shell must stay below it. For b = 2000, 5% (+-100) would split the shell; it gets +-45.
 *
 * @param minB0 fewest b0 volumes (default 1)
 * @param maxB0 most b0 volumes (default 10)
 * @param shells nominal b-values, s/mm^2 (default 1000, 2000)
 * @param jitter largest relative deviation of a volume's b-value (default 0.05)
 * @param minDirections fewest directions per shell (default 20)
 * @param maxDirections most directions per shell (default 90)
 * @param minSnr lowest b0 SNR (default 15)
 * @param maxSnr highest b0 SNR (default 40)
 */
public record ProtocolVariation(int minB0, int maxB0, double[] shells, double jitter,
    int minDirections, int maxDirections, double minSnr, double maxSnr) {
  /** Largest b-value deviation as a share of the shell tolerance. */
  public static final double SHELL_SPREAD = 0.45;

  /** One subject's draw: its gradient table and b0 SNR. */
  public record Draw(GradientTable table, double snr) {}

  public ProtocolVariation {
    BadArgumentException.require(minB0 >= 0 && maxB0 >= minB0 && maxB0 <= 100,
        "protocol variation: expected 0 <= min b0 <= max b0 <= 100, found " + minB0 + " and "
            + maxB0);
    BadArgumentException.require(shells.length >= 1, "protocol variation: expected at least"
        + " one shell, found none");
    for (int i = 0; i < shells.length; i++) {
      BadArgumentException.require(shells[i] > GradientTable.DEFAULT_B0_THRESHOLD
          && (i == 0 || shells[i] - shells[i - 1] > 2 * GradientTable.DEFAULT_SHELL_TOLERANCE),
          "protocol variation: expected increasing shells more than "
              + 2 * GradientTable.DEFAULT_SHELL_TOLERANCE + " s/mm^2 apart, found "
              + Arrays.toString(shells));
    }
    BadArgumentException.require(jitter >= 0 && jitter < 0.5,
        "protocol variation: expected a b-value jitter in [0, 0.5), found " + jitter);
    BadArgumentException.require(minDirections >= 1 && maxDirections >= minDirections
        && maxDirections <= 2000, "protocol variation: expected 1 <= min directions <= max"
        + " directions <= 2000, found " + minDirections + " and " + maxDirections);
    BadArgumentException.require(minSnr > 0 && maxSnr >= minSnr && Double.isFinite(maxSnr),
        "protocol variation: expected 0 < min SNR <= max SNR, finite, found " + minSnr
            + " and " + maxSnr);
    shells = shells.clone();
  }

  /** 1-10 b0, b = 1000 and 2000 s/mm^2 with 20-90 directions each, 5% jitter, SNR 15-40. */
  public static ProtocolVariation defaults() {
    return new ProtocolVariation(1, 10, new double[] {1000, 2000}, 0.05, 20, 90, 15, 40);
  }

  /** A protocol and SNR drawn from {@code rnd}. */
  public Draw draw(SplittableRandom rnd) {
    int b0 = minB0 + rnd.nextInt(maxB0 - minB0 + 1);
    int[] counts = new int[shells.length];
    int n = b0;
    for (int s = 0; s < shells.length; s++) {
      counts[s] = minDirections + rnd.nextInt(maxDirections - minDirections + 1);
      n += counts[s];
    }
    double[] bvals = new double[n];
    double[][] bvecs = new double[n][];
    int k = 0;
    for (int i = 0; i < b0; i++) {
      bvecs[k++] = new double[3];
    }
    for (int s = 0; s < shells.length; s++) {
      double[][] r = randomRotation(rnd);
      double spread = Math.min(jitter * shells[s],
          SHELL_SPREAD * GradientTable.DEFAULT_SHELL_TOLERANCE);
      for (double[] d : Directions.electrostatic(counts[s])) {
        bvals[k] = Math.rint(shells[s] + spread * (2 * rnd.nextDouble() - 1));
        bvecs[k++] = new double[] {
          r[0][0] * d[0] + r[0][1] * d[1] + r[0][2] * d[2],
          r[1][0] * d[0] + r[1][1] * d[1] + r[1][2] * d[2],
          r[2][0] * d[0] + r[2][1] * d[1] + r[2][2] * d[2]};
      }
    }
    double snr = minSnr + (maxSnr - minSnr) * rnd.nextDouble();
    return new Draw(GradientTable.of(bvals, bvecs), snr);
  }

  /** "b0 x 1-10, b=1000, 2000 x 20-90 directions (+-5%, at most +-45), SNR 15-40". */
  public String describe() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "b0 x %d-%d, b=", minB0,
        maxB0));
    for (int s = 0; s < shells.length; s++) {
      sb.append(s == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", shells[s]));
    }
    return sb.append(String.format(Locale.ROOT, " x %d-%d directions each (b-value +-%.0f%%,"
        + " at most +-%.0f s/mm^2), b0 SNR %.4g-%.4g, drawn per subject", minDirections,
        maxDirections, 100 * jitter, SHELL_SPREAD * GradientTable.DEFAULT_SHELL_TOLERANCE,
        minSnr, maxSnr)).toString();
  }

  /** A uniformly random rotation, from a random unit quaternion (Shoemake 1992). */
  private static double[][] randomRotation(SplittableRandom rnd) {
    double u1 = rnd.nextDouble();
    double u2 = 2 * Math.PI * rnd.nextDouble();
    double u3 = 2 * Math.PI * rnd.nextDouble();
    double a = Math.sqrt(1 - u1);
    double b = Math.sqrt(u1);
    double w = a * Math.sin(u2);
    double x = a * Math.cos(u2);
    double y = b * Math.sin(u3);
    double z = b * Math.cos(u3);
    return new double[][] {
      {1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)},
      {2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)},
      {2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)}};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProtocolVariation p && minB0 == p.minB0 && maxB0 == p.maxB0
        && Arrays.equals(shells, p.shells) && jitter == p.jitter
        && minDirections == p.minDirections && maxDirections == p.maxDirections
        && minSnr == p.minSnr && maxSnr == p.maxSnr;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shells) * 31 + minB0 * 7 + maxDirections;
  }

  @Override
  public String toString() {
    return "ProtocolVariation[" + describe() + "]";
  }
}
