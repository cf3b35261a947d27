package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;

/**
 * The Gaussian diffusion process around any {@link Denoiser} (Ho et al. 2020): the forward
 * process, the training loss and the conversion of a network output into estimates of the noise
 * and of the clean latent. Samplers ({@link DdimSampler}, {@link DdpmSampler}) build on it.
 *
 * <pre>
 *   q_sample:  x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps,  eps ~ N(0, I)
 *   loss:      E_{t, x_0, eps} || target - f_theta(x_t, t, c) ||^2,
 *              target = eps (EPSILON) or v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0 (V)
 *   estimates: eps^ = f                      x0^ = (x_t - sqrt(1 - abar_t) eps^) / sqrt(abar_t)
 *          or  eps^ = sqrt(1-abar_t) x_t + sqrt(abar_t) v^,   x0^ = sqrt(abar_t) x_t - sqrt(1-abar_t) v^
 * </pre>
 * Steps are 0-based ({@code t = 0 .. T-1}); the network sees t as a float.
 */
public final class GaussianDiffusion {
  private final NoiseSchedule schedule;
  private final Prediction prediction;

  public GaussianDiffusion(NoiseSchedule schedule, Prediction prediction) {
    this.schedule = schedule;
    this.prediction = prediction;
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  public Prediction prediction() {
    return prediction;
  }

  /** Estimates from one network evaluation: the noise and the clean latent. */
  public record Estimate(NDArray eps, NDArray x0) {}

  /** Draws x_t from q(x_t | x_0) for one step per batch element, with the given noise. */
  public NDArray qSample(NDArray x0, int[] t, NDArray noise) {
    return coef(x0, t, true).mul(x0).add(coef(x0, t, false).mul(noise));
  }

  /** The training target for x_0, noise and steps: eps or v. */
  public NDArray target(NDArray x0, int[] t, NDArray noise) {
    if (prediction == Prediction.EPSILON) {
      return noise;
    }
    return coef(x0, t, true).mul(noise).sub(coef(x0, t, false).mul(x0));
  }

  /**
   * The mean squared error between target and prediction at given steps and noise
   * (the "simple" loss of Ho et al., eq. 14). A scalar, differentiable.
   */
  public NDArray loss(Denoiser net, NDArray x0, NDArray cond, int[] t, NDArray noise) {
    NDArray xt = qSample(x0, t, noise);
    NDArray pred = net.predict(xt, steps(x0.getManager(), t), cond, true);
    return pred.sub(target(x0, t, noise)).square().mean();
  }

  /** The loss at steps drawn by {@code levels} and fresh noise, both from {@code rng}. */
  public NDArray loss(Denoiser net, NDArray x0, NDArray cond, NoiseLevels levels,
      SplittableRandom rng) {
    int[] t = levels.draw((int) x0.getShape().get(0), schedule, rng);
    NDArray noise = GaussianNoise.gaussian(x0.getManager(), x0.getShape(), rng);
    return loss(net, x0, cond, t, noise);
  }

  /** GaussianNoise and x_0 estimates at step {@code t} (the same for the whole batch). */
  public Estimate estimate(Denoiser net, NDArray xt, int t, NDArray cond) {
    int b = (int) xt.getShape().get(0);
    int[] ts = new int[b];
    java.util.Arrays.fill(ts, t);
    NDArray out = net.predict(xt, steps(xt.getManager(), ts), cond, false);
    return fromOutput(xt, t, out);
  }

  /** Converts a network output at step t into eps^ and x0^. */
  public Estimate fromOutput(NDArray xt, int t, NDArray out) {
    double sa = schedule.sqrtAlphaCumprod(t);
    double so = schedule.sqrtOneMinusAlphaCumprod(t);
    if (prediction == Prediction.EPSILON) {
      return new Estimate(out, xt.sub(out.mul(so)).div(sa));
    }
    NDArray eps = xt.mul(so).add(out.mul(sa));
    NDArray x0 = xt.mul(sa).sub(out.mul(so));
    return new Estimate(eps, x0);
  }

  /** The steps as a float array (B,) for the network's time embedding. */
  public static NDArray steps(NDManager manager, int[] t) {
    float[] f = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      f[i] = t[i];
    }
    return manager.create(f, new Shape(t.length));
  }

  /** sqrt(abar_t) (or sqrt(1 - abar_t)) per batch element, shaped to broadcast over x. */
  private NDArray coef(NDArray x, int[] t, boolean signal) {
    Shape s = x.getShape();
    BadArgumentException.require(t.length == s.get(0), "diffusion steps: expected one per batch "
        + "element (" + s.get(0) + "), found " + t.length);
    float[] c = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      c[i] = (float) (signal ? schedule.sqrtAlphaCumprod(t[i])
          : schedule.sqrtOneMinusAlphaCumprod(t[i]));
    }
    long[] shape = new long[s.dimension()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = t.length;
    return x.getManager().create(c, new Shape(shape));
  }
}
