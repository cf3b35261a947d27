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
 * @param minMixingExponent smallest exponent g of the tissue mixing (default 1): at each
 *     sub-voxel sample the template's tissue fractions f become f^g, renormalised to their sum,
 *     so g &gt; 1 sharpens the boundaries between tissues towards hard edges (as the procedural
 *     phantom's) and g &lt; 1 widens their partial volume; g is drawn log-uniformly between the
 *     two bounds
 * @param maxMixingExponent largest exponent g of the tissue mixing (default 1)
 * @param parameterSpread how far each subject's tissue parameters leave the ranges of {@link
 *     TissueParameters} (default 0): per tissue, NDI shifts by up to 0.08 and ODI by up to 0.10
 *     times this, and the parameter fields' spatial frequency scales by 2^(+-this)
 */
public record Variation(double maxRotationDeg, double scaleRange, double flipProbability,
    double warpMm, int minLesions, int maxLesions, double ventricleProbability,
    boolean randomPosition, double minMixingExponent, double maxMixingExponent,
    double parameterSpread) {
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
    BadArgumentException.require(minMixingExponent >= 0.1 && maxMixingExponent <= 10
        && minMixingExponent <= maxMixingExponent, "variation: expected mixing exponents"
        + " 0.1 <= min <= max <= 10, found " + minMixingExponent + " and " + maxMixingExponent);
    BadArgumentException.require(parameterSpread >= 0 && parameterSpread <= 1,
        "variation: expected a parameter spread in [0, 1], found " + parameterSpread);
  }

  /** Whether subjects draw a tissue-mixing exponent other than 1. */
  public boolean variesMixing() {
    return minMixingExponent != 1 || maxMixingExponent != 1;
  }

  /** This variation in words, for dataset.json. */
  public String describe() {
    return String.format(java.util.Locale.ROOT, "rotation up to %.0f deg, scale 1 +- %.2f,"
        + " left-right flip %.2f, warp sd %.1f mm, %d-%d lesions, enlarged ventricles %.2f,"
        + " tissue mixing exponent %.2f-%.2f, parameter spread %.2f", maxRotationDeg,
        scaleRange, flipProbability, warpMm, minLesions, maxLesions, ventricleProbability,
        minMixingExponent, maxMixingExponent, parameterSpread);
  }

  /** The variation of training subjects. */
  public static Variation defaults() {
    return new Variation(15, 0.10, 0.5, 2.5, 0, 3, 0.25, true, 1, 1, 0);
  }

  /**
   * A wider prior for training ({@code simulate --vary-anatomy}), so that a model learns the
   * physics rather than one template's look: more rotation, scale and warp, more lesions and
   * enlarged ventricles, tissue boundaries from somewhat wider to three times as sharp (mixing
   * exponent 0.75-3: the template's own posteriors have long tails, and an exponent of 0.5
   * already put 65% of a 64^3 crop's brain at FWF 0.2-0.8, against 20% for the template), and
   * tissue parameters beyond the default ranges.
   */
  public static Variation wide() {
    return new Variation(25, 0.15, 0.5, 4.5, 0, 5, 0.4, true, 0.75, 3, 1);
  }

  /** The template as it is: no rotation, scale, flip, warp, lesions or enlarged ventricles. */
  public static Variation none() {
    return new Variation(0, 0, 0, 0, 0, 0, 0, false, 1, 1, 0);
  }

  /** This variation with another flip probability (1: always mirrored). */
  public Variation withFlipProbability(double p) {
    return new Variation(maxRotationDeg, scaleRange, p, warpMm, minLesions, maxLesions,
        ventricleProbability, randomPosition, minMixingExponent, maxMixingExponent,
        parameterSpread);
  }

  /** This variation with between {@code min} and {@code max} lesions. */
  public Variation withLesions(int min, int max) {
    return new Variation(maxRotationDeg, scaleRange, flipProbability, warpMm, min, max,
        ventricleProbability, randomPosition, minMixingExponent, maxMixingExponent,
        parameterSpread);
  }

  /** This variation with enlarged ventricles at probability {@code p}. */
  public Variation withVentricleProbability(double p) {
    return new Variation(maxRotationDeg, scaleRange, flipProbability, warpMm, minLesions,
        maxLesions, p, randomPosition, minMixingExponent, maxMixingExponent, parameterSpread);
  }

  /** This variation with tissue-mixing exponents between {@code min} and {@code max}. */
  public Variation withMixingExponents(double min, double max) {
    return new Variation(maxRotationDeg, scaleRange, flipProbability, warpMm, minLesions,
        maxLesions, ventricleProbability, randomPosition, min, max, parameterSpread);
  }

  /** This variation with another parameter spread. */
  public Variation withParameterSpread(double spread) {
    return new Variation(maxRotationDeg, scaleRange, flipProbability, warpMm, minLesions,
        maxLesions, ventricleProbability, randomPosition, minMixingExponent, maxMixingExponent,
        spread);
  }
}
