package org.noddildm.core.fit;

import org.noddildm.core.BadArgumentException;

/**
 * Nearly uniform unit directions on the upper hemisphere (z >= 0) from a Fibonacci spiral
 * (Gonzalez 2010, "Measurement of areas on a sphere using Fibonacci and latitude-longitude
 * lattices"), with a nearest-direction lookup that treats n and -n as the same axis, as fibre
 * directions are. The mean spacing of N directions is about sqrt(2 pi / N) radians.
 */
public final class HemisphereDirections {
  private static final double GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

  private final double[] xyz;
  private final int count;

  public HemisphereDirections(int count) {
    BadArgumentException.require(count >= 1 && count <= 100_000,
        "hemisphere directions: expected 1..100000, found " + count);
    this.count = count;
    this.xyz = new double[3 * count];
    for (int k = 0; k < count; k++) {
      double z = (k + 0.5) / count;
      double r = Math.sqrt(1 - z * z);
      double phi = k * GOLDEN_ANGLE;
      xyz[3 * k] = r * Math.cos(phi);
      xyz[3 * k + 1] = r * Math.sin(phi);
      xyz[3 * k + 2] = z;
    }
  }

  public int size() {
    return count;
  }

  /** Direction k, a new array. */
  public double[] direction(int k) {
    return new double[] {xyz[3 * k], xyz[3 * k + 1], xyz[3 * k + 2]};
  }

  /**
   * Index of the direction closest to the axis of (x, y, z) (sign ignored). Direction k of the
   * spiral sits at height z_k = (k + 1/2) / N, so only the band of directions within a few
   * spacings of the query's height (after flipping it to z >= 0) needs checking; near the
   * equator that band also holds the neighbours of the flipped axis.
   */
  public int nearest(double x, double y, double z) {
    if (z < 0) {
      x = -x;
      y = -y;
      z = -z;
    }
    double band = 3 * Math.sqrt(2 * Math.PI / count) + 2.0 / count;
    int lo = Math.max(0, (int) Math.floor((z - band) * count - 0.5));
    int hi = Math.min(count - 1, (int) Math.ceil((z + band) * count - 0.5));
    int best = lo;
    double bestDot = -1;
    for (int k = lo; k <= hi; k++) {
      double d = Math.abs(x * xyz[3 * k] + y * xyz[3 * k + 1] + z * xyz[3 * k + 2]);
      if (d > bestDot) {
        bestDot = d;
        best = k;
      }
    }
    return best;
  }

  /** The nearest direction by checking all of them; {@link #nearest} must agree. */
  int nearestExhaustive(double x, double y, double z) {
    int best = 0;
    double bestDot = -1;
    for (int k = 0; k < count; k++) {
      double d = Math.abs(x * xyz[3 * k] + y * xyz[3 * k + 1] + z * xyz[3 * k + 2]);
      if (d > bestDot) {
        bestDot = d;
        best = k;
      }
    }
    return best;
  }
}
