package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;

/**
 * Ancestral sampling of DDPM (Ho et al. 2020, Algorithm 2) over all T steps, in its
 * posterior form: from x_t,
 * <pre>
 *   x_{t-1} = mu~_t(x0^, x_t) + sqrt(beta~_t) z,   z ~ N(0, I) (z = 0 at t = 0)
 *   mu~_t   = sqrt(abar_{t-1}) beta_t / (1 - abar_t) x0^ + sqrt(alpha_t) (1 - abar_{t-1}) / (1 - abar_t) x_t
 * </pre>
 * With x0^ from the noise estimate this equals the paper's
 * {@code (x_t - beta_t / sqrt(1 - abar_t) eps^) / sqrt(alpha_t)}.
 */
public final class DdpmSampler extends Sampler {
  public DdpmSampler(GaussianDiffusion diffusion) {
    super(diffusion);
  }

  @Override
  public int[] timesteps() {
    int n = diffusion.schedule().steps();
    int[] ts = new int[n];
    for (int i = 0; i < n; i++) {
      ts[i] = n - 1 - i;
    }
    return ts;
  }

  @Override
  public NDArray step(NDArray xt, GaussianDiffusion.Estimate est, int t, int prev,
      SplittableRandom rng) {
    BadArgumentException.require(prev == t - 1, "DDPM step: expected " + (t - 1) + " after "
        + t + ", found " + prev);
    NoiseSchedule s = diffusion.schedule();
    NDArray mean = est.x0().mul(s.posteriorMeanCoef1(t)).add(xt.mul(s.posteriorMeanCoef2(t)));
    double var = s.posteriorVariance(t);
    if (t == 0 || var <= 0) {
      return mean;
    }
    return mean.add(GaussianNoise.gaussian(xt.getManager(), xt.getShape(), rng)
        .mul(Math.sqrt(var)));
  }
}
