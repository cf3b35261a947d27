package org.noddildm.core.physics.anatomy;

import org.noddildm.core.BadArgumentException;

/**
 * How far anatomical subjects vary around their template; each subject draws its own values
 * from its seed (see {@link SubjectPose}).
 *
 * @param maxRotationDeg rotation about a random axis, uniform up to this angle (default 15)
 * @param scaleRange isotropic scale 1 +- this, uniform (default 0.10)
 * @param flipProbability chance of a left-right mirror image (default 0.5)
 * @param warpMm standard deviation of the smooth elastic displacement, mm (default 2.5)
 * @param minLesions fewest white-matter lesions (default 0)
 * @param maxLesions most white-matter lesions (default 3)
 * @param ventricleProbability chance of enlarged ventricles (default 0.25)
 * @param randomPosition place the grid at a random position over the brain rather than at its
 *     centre (default true)
 */
public record Variation(double maxRotationDeg, double scaleRange, double flipProbability,
    double warpMm, int minLesions, int maxLesions, double ventricleProbability,
    boolean randomPosition) {
  public Variation {
    BadArgumentException.require(maxRotationDeg >= 0 && maxRotationDeg <= 180,
        "variation: expected a rotation of 0 to 180 degrees, found " + maxRotationDeg);
    BadArgumentException.require(scaleRange >= 0 && scaleRange < 0.5,
        "variation: expected a scale range in [0, 0.5), found " + scaleRange);
    BadArgumentException.require(flipProbability >= 0 && flipProbability <= 1,
        "variation: expected a flip probability in [0, 1], found " + flipProbability);
    BadArgumentException.require(warpMm >= 0 && warpMm <= 6,
        "variation: expected an elastic displacement of 0 to 6 mm (larger folds the warp),"
            + " found " + warpMm);
    BadArgumentException.require(minLesions >= 0 && maxLesions >= minLesions && maxLesions <= 10,
        "variation: expected 0 <= min lesions <= max lesions <= 10, found " + minLesions
            + " and " + maxLesions);
    BadArgumentException.require(ventricleProbability >= 0 && ventricleProbability <= 1,
        "variation: expected a ventricle probability in [0, 1], found "
            + ventricleProbability);
  }

  /** The variation of training subjects. */
  public static Variation defaults() {
    return new Variation(15, 0.10, 0.5, 2.5, 0, 3, 0.25, true);
  }

  /** The template as it is: no rotation, scale, flip, warp, lesions or enlarged ventricles. */
  public static Variation none() {
    return new Variation(0, 0, 0, 0, 0, 0, 0, false);
  }

  /** This variation with another flip probability (1: always mirrored). */
  public Variation withFlipProbability(double p) {
    return new Variation(maxRotationDeg, scaleRange, p, warpMm, minLesions, maxLesions,
        ventricleProbability, randomPosition);
  }

  /** This variation with between {@code min} and {@code max} lesions. */
  public Variation withLesions(int min, int max) {
    return new Variation(maxRotationDeg, scaleRange, flipProbability, warpMm, min, max,
        ventricleProbability, randomPosition);
  }

  /** This variation with enlarged ventricles at probability {@code p}. */
  public Variation withVentricleProbability(double p) {
    return new Variation(maxRotationDeg, scaleRange, flipProbability, warpMm, minLesions,
        maxLesions, p, randomPosition);
  }
}
