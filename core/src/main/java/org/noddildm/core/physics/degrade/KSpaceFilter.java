package org.noddildm.core.physics.degrade;

import java.util.Locale;
import org.noddildm.core.BadArgumentException;

/**
 * What a scanner does to the kept k-space besides truncating it: a raw-data apodisation filter
 * and partial-Fourier acquisition along the phase-encoding axis, both as in product
 * reconstructions (Bernstein, King and Zhou 2004, Handbook of MRI Pulse Sequences, sections
 * 13.1 and 13.4).
 *
 * <p>Apodisation is a Tukey window over the kept frequencies k (|k| <= M/2, M kept samples):
 *
 * <pre>
 *   w(k) = 1                                                  for |k| <= (1 - alpha) M/2
 *   w(k) = (1 + cos(pi (|k| - (1 - alpha) M/2) / (alpha M/2))) / 2   above
 * </pre>
 *
 * alpha = 0 keeps every sample at weight 1 (no filter), alpha = 1 is the Hann window. It
 * trades Gibbs ringing for blur.
 *
 * <p>Partial Fourier acquires only the fraction {@code partialFourier} of the M phase-encoding
 * lines: all of the positive half and the part of the negative half nearest the centre. The
 * missing lines are zero-filled, so the image is complex (its imaginary part is the Hilbert
 * transform of what is missing) and the magnitude image is blurred along that axis.
 *
 * @param apodisation Tukey alpha of the raw-data filter, 0 (none) to 1 (Hann) (default 0)
 * @param partialFourier share of phase-encoding lines acquired, 0.5 to 1 (default 1, full)
 * @param phaseAxis voxel axis of phase encoding, 0, 1 or 2 (default 1: anterior-posterior in
 *     an axial LAS image)
 */
public record KSpaceFilter(double apodisation, double partialFourier, int phaseAxis) {
  /** No filter and full k-space: plain truncation. */
  public static final KSpaceFilter NONE = new KSpaceFilter(0, 1, 1);

  public KSpaceFilter {
    BadArgumentException.require(apodisation >= 0 && apodisation <= 1,
        "k-space apodisation: expected a Tukey alpha from 0 (none) to 1 (Hann), found "
            + apodisation);
    BadArgumentException.require(partialFourier >= 0.5 && partialFourier <= 1,
        "partial Fourier: expected a share of lines from 0.5 to 1, found " + partialFourier);
    BadArgumentException.require(phaseAxis >= 0 && phaseAxis <= 2,
        "phase-encoding axis: expected 0, 1 or 2, found " + phaseAxis);
  }

  /** True when the reconstructed image of a real object is real (no partial Fourier). */
  public boolean isReal() {
    return partialFourier == 1;
  }

  /** True for plain truncation. */
  public boolean isNone() {
    return apodisation == 0 && partialFourier == 1;
  }

  /** Weight of frequency k (integer, |k| <= m/2) on an axis of m kept samples. */
  double weight(int k, int m, int axis) {
    double half = m / 2.0;
    double w = 1;
    double flat = (1 - apodisation) * half;
    if (apodisation > 0 && Math.abs(k) > flat) {
      w = 0.5 * (1 + Math.cos(Math.PI * (Math.abs(k) - flat) / (apodisation * half)));
    }
    if (axis == phaseAxis && partialFourier < 1) {
      // lines -m/2 .. m/2 - 1 (even m) or -(m-1)/2 .. (m-1)/2; the first ones are skipped
      int lines = (int) Math.round(partialFourier * m);
      int first = -(m / 2) + (m - lines);
      if (k < first) {
        w = 0;
      }
    }
    return w;
  }

  /** "Tukey 0.5 apodisation, partial Fourier 6/8 along axis 1", or "none". */
  public String describe() {
    if (isNone()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    if (apodisation > 0) {
      sb.append(String.format(Locale.ROOT, "Tukey %.3g apodisation", apodisation));
    }
    if (partialFourier < 1) {
      sb.append(sb.length() > 0 ? ", " : "").append(String.format(Locale.ROOT,
          "partial Fourier %.4g along axis %d", partialFourier, phaseAxis));
    }
    return sb.toString();
  }

  /** Parses "none" or "apod=A,pf=P,axis=K" (any subset, any order). */
  public static KSpaceFilter parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.equals("none")) {
      return NONE;
    }
    double a = 0;
    double p = 1;
    int axis = 1;
    for (String part : t.split(",")) {
      String[] kv = part.split("=", 2);
      BadArgumentException.require(kv.length == 2, "k-space filter: expected none or"
          + " apod=A,pf=P,axis=K, found '" + s + "'");
      try {
        switch (kv[0].trim()) {
          case "apod" -> a = Double.parseDouble(kv[1].trim());
          case "pf" -> p = fraction(kv[1].trim());
          case "axis" -> axis = Integer.parseInt(kv[1].trim());
          default -> throw new BadArgumentException("k-space filter: expected the keys apod,"
              + " pf and axis, found '" + kv[0].trim() + "'");
        }
      } catch (NumberFormatException e) {
        throw new BadArgumentException("k-space filter: expected a number for " + kv[0].trim()
            + ", found '" + kv[1].trim() + "'");
      }
    }
    return new KSpaceFilter(a, p, axis);
  }

  /** "0.75" or "6/8". */
  private static double fraction(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return Double.parseDouble(s);
    }
    return Double.parseDouble(s.substring(0, slash)) / Double.parseDouble(s.substring(slash + 1));
  }
}
