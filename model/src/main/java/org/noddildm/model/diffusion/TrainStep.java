package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.noddildm.model.Engines;
import org.noddildm.model.nn.Autograd;

/**
 * One optimisation step of a denoiser: draw steps and noise, take the diffusion loss, back-
 * propagate, apply Adam (Kingma and Ba 2015) and move the EMA. Everything the step allocates
 * lives in a sub-manager that is closed before returning, so native memory stays flat.
 */
public final class TrainStep {
  private final Block net;
  private final GaussianDiffusion diffusion;
  private final Optimizer optimizer;
  private final Ema ema;
  private final List<Parameter> params = new ArrayList<>();

  /** Adam with a fixed learning rate; {@code ema} may be null. */
  public TrainStep(Block net, GaussianDiffusion diffusion, float learningRate, Ema ema) {
    this.net = net;
    this.diffusion = diffusion;
    this.optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate))
        .build();
    this.ema = ema;
    for (Pair<String, Parameter> p : net.getParameters()) {
      params.add(p.getValue());
    }
  }

  /**
   * Trains on one batch of clean latents x_0 (B, C, D, H, W) with their conditions; returns the
   * loss before the update. The inputs are not closed.
   */
  public double run(NDArray x0, NDArray cond, SplittableRandom rng) {
    try (NDManager sm = x0.getManager().newSubManager()) {
      NDArray x = x0.duplicate();
      x.attach(sm);
      NDArray c = cond.duplicate();
      c.attach(sm);
      ParameterStore ps = new ParameterStore(sm, false);
      Autograd.zeroGrad(params);
      double loss;
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDArray l = diffusion.loss(Denoiser.of(net, ps), x, c, rng);
        loss = l.getFloat();
        gc.backward(l);
      }
      for (Parameter p : params) {
        optimizer.update(p.getId(), p.getArray(), Autograd.grad(p, sm));
      }
      if (ema != null) {
        ema.update();
      }
      return loss;
    }
  }
}
