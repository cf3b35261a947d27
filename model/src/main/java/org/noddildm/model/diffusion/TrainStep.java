package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.noddildm.model.Engines;
import org.noddildm.model.nn.Autograd;
import org.noddildm.model.train.Adam;

/**
 * One optimisation step of a denoiser: draw steps and noise, take the diffusion loss, back-
 * propagate, apply Adam (Kingma and Ba 2015) and move the EMA. Everything the step allocates
 * lives in a sub-manager that is closed before returning, so native memory stays flat.
 */
public final class TrainStep {
  private final Block net;
  private final GaussianDiffusion diffusion;
  private final Adam adam;
  private final double learningRate;
  private final Ema ema;
  private final List<Parameter> params = new ArrayList<>();

  /**
   * Adam (beta 0.9, 0.999, eps 1e-8) with a fixed learning rate, its moments in
   * {@code manager} (the model's); {@code ema} may be null.
   */
  public TrainStep(Block net, GaussianDiffusion diffusion, double learningRate, Ema ema,
      NDManager manager) {
    this.net = net;
    this.diffusion = diffusion;
    this.learningRate = learningRate;
    this.ema = ema;
    for (Pair<String, Parameter> p : net.getParameters()) {
      params.add(p.getValue());
    }
    this.adam = new Adam(params, 0.9, 0.999, 1e-8, manager);
  }

  /** The optimiser, whose state a checkpoint saves. */
  public Adam adam() {
    return adam;
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
      adam.step(learningRate, sm);
      if (ema != null) {
        ema.update();
      }
      return loss;
    }
  }
}
