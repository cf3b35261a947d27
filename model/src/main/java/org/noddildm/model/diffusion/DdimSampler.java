package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;

/**
 * DDIM sampling (Song, Meng and Ermon 2021, "Denoising Diffusion Implicit Models", eq. 12) on a
 * sub-sequence of S of the T training steps. From step t to the earlier step tau:
 * <pre>
 *   x0^   = (x_t - sqrt(1 - abar_t) eps^) / sqrt(abar_t)
 *   sigma = eta sqrt((1 - abar_tau) / (1 - abar_t)) sqrt(1 - abar_t / abar_tau)
 *   x_tau = sqrt(abar_tau) x0^ + sqrt(1 - abar_tau - sigma^2) eps^ + sigma z,   z ~ N(0, I)
 * </pre>
 * eta = 0 is deterministic given x_T; eta = 1 over all T steps is DDPM's ancestral sampler
 * with the posterior variance beta~_t. The steps are "trailing" (Lin et al. 2024): for S = 100
 * of T = 1000 they are 999, 989, ..., 9, every 10th step, walked from the noisiest DOWN; the
 * last update goes to abar = 1 (the seed write-up's snippet walked them upwards, a bug).
 */
public final class DdimSampler extends Sampler {
  /** CLDM's (github.com/guchengzhong/CLDM) number of sampling steps. */
  public static final int DEFAULT_STEPS = 100;

  private final int[] timesteps;
  private final double eta;

  public DdimSampler(GaussianDiffusion diffusion, int steps, double eta) {
    super(diffusion);
    int total = diffusion.schedule().steps();
    BadArgumentException.require(steps >= 1 && steps <= total, "DDIM steps: expected 1.."
        + total + ", found " + steps);
    BadArgumentException.require(eta >= 0 && Double.isFinite(eta),
        "DDIM eta: expected >= 0, found " + eta);
    this.timesteps = timesteps(total, steps);
    this.eta = eta;
  }

  /** The default: 100 deterministic steps (eta = 0). */
  public DdimSampler(GaussianDiffusion diffusion) {
    this(diffusion, DEFAULT_STEPS, 0.0);
  }

  /** S steps of T, descending: {@code t_i = floor((i + 1) T / S) - 1} for i = S-1 .. 0. */
  public static int[] timesteps(int total, int steps) {
    int[] ts = new int[steps];
    for (int i = 0; i < steps; i++) {
      ts[steps - 1 - i] = (int) ((long) (i + 1) * total / steps) - 1;
    }
    return ts;
  }

  public double eta() {
    return eta;
  }

  @Override
  public int[] timesteps() {
    return timesteps.clone();
  }

  /** The standard deviation of the fresh noise in the update from t to tau. */
  public double sigma(int t, int tau) {
    NoiseSchedule s = diffusion.schedule();
    double at = s.alphaCumprod(t);
    double ap = s.alphaCumprod(tau);
    return eta * Math.sqrt((1 - ap) / (1 - at)) * Math.sqrt(Math.max(0, 1 - at / ap));
  }

  @Override
  public NDArray step(NDArray xt, GaussianDiffusion.Estimate est, int t, int tau,
      SplittableRandom rng) {
    double ap = diffusion.schedule().alphaCumprod(tau);
    double sigma = sigma(t, tau);
    double dir = Math.sqrt(Math.max(0, 1 - ap - sigma * sigma));
    NDArray x = est.x0().mul(Math.sqrt(ap)).add(est.eps().mul(dir));
    if (sigma > 0) {
      x = x.add(GaussianNoise.gaussian(xt.getManager(), xt.getShape(), rng).mul(sigma));
    }
    return x;
  }
}
