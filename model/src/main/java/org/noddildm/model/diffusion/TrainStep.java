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
  private double learningRate;
  private double maxGradNorm = 1.0;
  private double lastGradNorm = Double.NaN;
  /** Consecutive non-finite gradients after which training stops. */
  static final int MAX_SKIPPED_IN_A_ROW = 10;
  private long skipped;
  private int skippedInARow;
  private final Ema ema;
  private NoiseLevels levels = NoiseLevels.UNIFORM;
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

  /**
   * Gradients with a global L2 norm above this are scaled down to it before the update
   * (1.0, the usual value for diffusion U-Nets; infinity: no clipping).
   */
  public void setMaxGradNorm(double norm) {
    maxGradNorm = norm;
  }

  /**
   * Steps whose gradients were not finite and which were skipped (weights, optimizer and EMA
   * left as they were), since this object was made.
   */
  public long skippedSteps() {
    return skipped;
  }

  /** The steps the next batches are trained at (uniform unless set). */
  public void setNoiseLevels(NoiseLevels l) {
    levels = l;
  }

  /** The global gradient norm of the last step, before clipping. */
  public double lastGradNorm() {
    return lastGradNorm;
  }

  /** The learning rate of the next steps. */
  public double learningRate() {
    return learningRate;
  }

  /** Continues with learning rate {@code lr} (the Adam moments are kept). */
  public void setLearningRate(double lr) {
    learningRate = lr;
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
        NDArray l = diffusion.loss(Denoiser.of(net, ps), x, c, levels, rng);
        loss = l.getFloat();
        if (!Double.isFinite(loss)) {
          throw new TrainingDivergedException("diffusion training: expected a finite loss,"
              + " found " + loss + " (weights not updated; lower the learning rate)");
        }
        gc.backward(l);
      }
      if (!acceptGradients(clipGradients(sm))) {
        return loss;
      }
      adam.step(learningRate, sm);
      if (ema != null) {
        ema.update();
      }
      return loss;
    }
  }

  /**
   * Whether to apply this step's update, given whether its gradients were finite. A rare
   * non-finite gradient (an overflow in one batch) skips the update, as mixed-precision training
   * does; more than {@value #MAX_SKIPPED_IN_A_ROW} in a row stop the training.
   */
  boolean acceptGradients(boolean finite) {
    if (finite) {
      skippedInARow = 0;
      return true;
    }
    skipped++;
    if (++skippedInARow > MAX_SKIPPED_IN_A_ROW) {
      throw new TrainingDivergedException("diffusion training: expected finite gradients,"
          + " found none in " + skippedInARow + " steps in a row (weights not updated; lower"
          + " the learning rate)");
    }
    return false;
  }

  /**
   * Scales all gradients by min(1, maxGradNorm / ||g||) (Pascanu et al. 2013); false, and
   * nothing scaled, when the norm is not finite.
   */
  private boolean clipGradients(NDManager sm) {
    double sq = 0;
    for (Parameter p : params) {
      float n = Autograd.grad(p, sm).norm().getFloat();
      sq += (double) n * n;
    }
    lastGradNorm = Math.sqrt(sq);
    if (!Double.isFinite(lastGradNorm)) {
      return false;
    }
    if (lastGradNorm > maxGradNorm) {
      float f = (float) (maxGradNorm / lastGradNorm);
      for (Parameter p : params) {
        Autograd.grad(p, sm).muli(f);
      }
    }
    return true;
  }
}
