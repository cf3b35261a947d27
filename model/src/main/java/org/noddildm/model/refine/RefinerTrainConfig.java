package org.noddildm.model.refine;

import org.noddildm.core.BadArgumentException;

/**
 * How to train the refiner.
 *
 * @param steps total optimizer steps (default 3000)
 * @param batch crops per step (default 4)
 * @param crop side of the low-res input crops (default 24)
 * @param margin low-res voxels at each crop face left out of the loss, where the network's
 *     zero padding stands in for context it would have at prediction (default 4)
 * @param lr Adam learning rate (default 1e-3), cosine-decayed to a tenth over the steps
 * @param seed seed of the weights and of the crops (default 1)
 * @param checkpointEvery steps between checkpoints (default 250)
 * @param validateEvery steps between validations on held-out subjects (default 250; 0: never)
 * @param gradientWeight weight of the gradient term of the loss, the weighted squared error of
 *     the high-res maps' finite differences along x, y and z, beside the squared error of the
 *     maps themselves (default 0: squared error only). It values edges and texture, which a
 *     squared error alone lets the network blur, and which SSIM sees
 * @param freeWaterWeight loss weight of NDI and ODI where the true FWF is {@value
 *     RefinerExample#FREE_WATER} or more, where they are undefined and not scored (default
 *     {@value RefinerExample#FREE_WATER_WEIGHT}); everything else in the brain weighs 1
 * @param keepClassicInFreeWater where the true FWF is {@value RefinerExample#FREE_WATER} or
 *     more, train NDI and ODI towards the classic estimate (a correction of 0) instead of the
 *     phantom's value (default false). There the phantoms' NDI and ODI are a convention, not
 *     a signal (the procedural phantom sets 0, the anatomical one tissue values), and a network
 *     that averages the two conventions is worse than the classic fit in the ventricles
 */
public record RefinerTrainConfig(int steps, int batch, int crop, int margin, double lr,
    long seed, int checkpointEvery, int validateEvery, double gradientWeight,
    double freeWaterWeight, boolean keepClassicInFreeWater) {
  public RefinerTrainConfig {
    BadArgumentException.require(steps >= 1, "refiner steps: expected >= 1, found " + steps);
    BadArgumentException.require(batch >= 1, "refiner batch: expected >= 1, found " + batch);
    BadArgumentException.require(crop >= 4 && 2 * margin < crop, "refiner crop: expected"
        + " >= 4 and more than twice the margin " + margin + ", found " + crop);
    BadArgumentException.require(lr > 0 && lr < 1, "refiner lr: expected in (0, 1), found "
        + lr);
    BadArgumentException.require(checkpointEvery >= 1 && validateEvery >= 0, "refiner"
        + " intervals: expected checkpoints >= 1 and validation >= 0, found "
        + checkpointEvery + " and " + validateEvery);
    BadArgumentException.require(gradientWeight >= 0 && Double.isFinite(gradientWeight),
        "refiner gradient weight: expected a finite value >= 0, found " + gradientWeight);
    BadArgumentException.require(freeWaterWeight >= 0 && freeWaterWeight <= 1,
        "refiner free-water weight: expected in [0, 1], found " + freeWaterWeight);
  }

  public static RefinerTrainConfig defaults() {
    return new RefinerTrainConfig(3000, 4, 24, 4, 1e-3, 1, 250, 250, 0,
        RefinerExample.FREE_WATER_WEIGHT, false);
  }

  public RefinerTrainConfig withSteps(int s) {
    return new RefinerTrainConfig(s, batch, crop, margin, lr, seed, checkpointEvery,
        validateEvery, gradientWeight, freeWaterWeight, keepClassicInFreeWater);
  }

  public RefinerTrainConfig withLr(double rate) {
    return new RefinerTrainConfig(steps, batch, crop, margin, rate, seed, checkpointEvery,
        validateEvery, gradientWeight, freeWaterWeight, keepClassicInFreeWater);
  }

  public RefinerTrainConfig withSeed(long s) {
    return new RefinerTrainConfig(steps, batch, crop, margin, lr, s, checkpointEvery,
        validateEvery, gradientWeight, freeWaterWeight, keepClassicInFreeWater);
  }

  public RefinerTrainConfig withBatch(int b) {
    return new RefinerTrainConfig(steps, b, crop, margin, lr, seed, checkpointEvery,
        validateEvery, gradientWeight, freeWaterWeight, keepClassicInFreeWater);
  }

  public RefinerTrainConfig withIntervals(int checkpoint, int validate) {
    return new RefinerTrainConfig(steps, batch, crop, margin, lr, seed, checkpoint, validate,
        gradientWeight, freeWaterWeight, keepClassicInFreeWater);
  }

  public RefinerTrainConfig withGradientWeight(double g) {
    return new RefinerTrainConfig(steps, batch, crop, margin, lr, seed, checkpointEvery,
        validateEvery, g, freeWaterWeight, keepClassicInFreeWater);
  }

  /** Crops of side {@code c} with the default margin (4, or less for small crops). */
  public RefinerTrainConfig withCrop(int c) {
    return new RefinerTrainConfig(steps, batch, c, Math.min(margin, (c - 1) / 2), lr, seed,
        checkpointEvery, validateEvery, gradientWeight, freeWaterWeight, keepClassicInFreeWater);
  }

  public RefinerTrainConfig withFreeWaterWeight(double fw) {
    return new RefinerTrainConfig(steps, batch, crop, margin, lr, seed, checkpointEvery,
        validateEvery, gradientWeight, fw, keepClassicInFreeWater);
  }

  public RefinerTrainConfig withKeepClassicInFreeWater(boolean keep) {
    return new RefinerTrainConfig(steps, batch, crop, margin, lr, seed, checkpointEvery,
        validateEvery, gradientWeight, freeWaterWeight, keep);
  }

  /** The learning rate at {@code step}: cosine from lr down to lr / 10. */
  public double lrAt(long step) {
    double p = Math.min(1.0, step / (double) steps);
    return lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * p)));
  }
}
