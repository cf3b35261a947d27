package org.noddildm.model.diffusion;

import java.util.SplittableRandom;

/**
 * Which diffusion steps a training batch is drawn at. Uniform steps (Ho et al. 2020) spend most
 * of the training at high noise on the linear schedule (above step 320 of 1000, two thirds of
 * the draws, a latent of unit sd keeps an SNR below 0.53), where the network learns little more
 * than the posterior mean; the mixture moves half of the draws to the middle and low noise levels, where
 * a sample's detail is drawn.
 */
public enum NoiseLevels {
  /** Steps uniform on 0..T-1. */
  UNIFORM("uniform"),
  /**
   * Half the batch uniform, half at EDM's noise levels (Karras et al. 2022): ln sigma ~
   * N(-1.2 + ln 2, 1.2^2), where sigma = sqrt((1 - abar_t) / abar_t) is the noise over the signal
   * of a latent of unit sd (EDM's -1.2 is for data of sd 0.5), taken to the step of the nearest
   * sigma. With the v target the loss then weighs x_0's error by 1 + SNR, EDM's own weighting.
   */
  LOGNORMAL_MIX("lognormal-mix");

  /** EDM's log-normal over sigma, for data of unit sd. */
  static final double MEAN = -1.2 + Math.log(2);
  static final double SD = 1.2;

  private final String label;

  NoiseLevels(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The level named {@code s} ({@link #label}); null for null (a model.json from before). */
  public static NoiseLevels parse(String s) {
    if (s == null) {
      return null;
    }
    for (NoiseLevels n : values()) {
      if (n.label.equals(s)) {
        return n;
      }
    }
    throw new org.noddildm.core.BadArgumentException("noise levels: expected uniform or"
        + " lognormal-mix, found " + s);
  }

  /**
   * {@code n} steps of {@code schedule}. For {@link #UNIFORM} these are exactly {@link
   * GaussianNoise#uniformSteps}'s draws; the mixture takes the even batch elements uniform and
   * the odd ones log-normal.
   */
  public int[] draw(int n, NoiseSchedule schedule, SplittableRandom rng) {
    if (this == UNIFORM) {
      return GaussianNoise.uniformSteps(n, schedule.steps(), rng);
    }
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = i % 2 == 0 ? rng.nextInt(schedule.steps())
          : nearestStep(schedule, Math.exp(MEAN + SD * rng.nextGaussian()));
    }
    return t;
  }

  /** The step whose sigma = sqrt((1 - abar) / abar) is nearest to {@code sigma} in log. */
  static int nearestStep(NoiseSchedule schedule, double sigma) {
    int lo = 0;
    int hi = schedule.steps() - 1;
    double target = Math.log(sigma);
    while (hi - lo > 1) { // sigma grows with t
      int mid = (lo + hi) >>> 1;
      if (logSigma(schedule, mid) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.abs(logSigma(schedule, lo) - target) <= Math.abs(logSigma(schedule, hi) - target)
        ? lo : hi;
  }

  static double logSigma(NoiseSchedule schedule, int t) {
    double a = schedule.alphaCumprod(t);
    return 0.5 * Math.log((1 - a) / a);
  }
}
