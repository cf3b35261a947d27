package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;

/**
 * The reverse process: starts from pure noise x_T ~ N(0, I) and walks a descending list of
 * steps, from the noisiest step down to the clean latent (after the last listed step comes
 * "step -1", abar = 1). Subclasses give the list of steps and the update from t to the next
 * step. Each step runs in its own sub-manager so native memory stays flat over the walk.
 */
public abstract class Sampler {
  protected final GaussianDiffusion diffusion;

  protected Sampler(GaussianDiffusion diffusion) {
    this.diffusion = diffusion;
  }

  public GaussianDiffusion diffusion() {
    return diffusion;
  }

  /** The steps visited, strictly descending, first = the noisiest. */
  public abstract int[] timesteps();

  /**
   * One update from x_t to x_prev given the network's estimates ({@code prev = -1}: the end).
   * Draws its noise, if any, from {@code rng}.
   */
  public abstract NDArray step(NDArray xt, GaussianDiffusion.Estimate est, int t, int prev,
      SplittableRandom rng);

  /** A sample of the given latent shape, starting from noise drawn from {@code rng}. */
  public NDArray sample(Denoiser net, NDArray cond, Shape shape, SplittableRandom rng,
      IntConsumer progress) {
    NDArray xT = GaussianNoise.gaussian(cond.getManager(), shape, rng);
    return sample(net, cond, xT, rng, progress);
  }

  /**
   * A sample starting from the given x_T (which this call takes over and closes). The result
   * belongs to the manager of {@code cond}.
   */
  public NDArray sample(Denoiser net, NDArray cond, NDArray xT, SplittableRandom rng,
      IntConsumer progress) {
    BadArgumentException.require(cond.getShape().get(0) == xT.getShape().get(0),
        "sampler: expected the condition's batch size " + cond.getShape().get(0)
            + " for the latent, found " + xT.getShape());
    BadArgumentException.require(sameGrid(cond.getShape(), xT.getShape()),
        "sampler: expected the latent on the condition's grid " + cond.getShape()
            + ", found " + xT.getShape());
    NDManager parent = cond.getManager();
    xT.attach(parent);
    NDArray x = xT;
    int[] ts = timesteps();
    for (int i = 0; i < ts.length; i++) {
      int t = ts[i];
      int prev = i + 1 < ts.length ? ts[i + 1] : -1;
      try (NDManager sm = parent.newSubManager()) {
        x.attach(sm);
        GaussianDiffusion.Estimate est = diffusion.estimate(net, x, t, cond);
        NDArray next = step(x, est, t, prev, rng);
        next.attach(parent);
        x = next;
      }
      if (progress != null) {
        progress.accept(i + 1);
      }
    }
    return x;
  }

  private static boolean sameGrid(Shape a, Shape b) {
    if (a.dimension() != b.dimension()) {
      return false;
    }
    for (int i = 2; i < a.dimension(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }
}
