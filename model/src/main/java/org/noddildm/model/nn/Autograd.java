package org.noddildm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/**
 * The few autograd operations that DJL's {@code GradientCollector} does not expose: a backward
 * pass that keeps the graph (needed to take gradients of two losses through one forward pass,
 * as for the VQ-GAN's adaptive weight), and gradient access whose wrappers live in a per-step
 * manager instead of accumulating in the model's manager. PyTorch engine only.
 */
public final class Autograd {
  private Autograd() {}

  /** Backpropagates a scalar {@code loss}; {@code keepGraph} allows a second backward pass. */
  public static void backward(NDArray loss, boolean keepGraph) {
    try (NDArray ones = loss.onesLike()) {
      JniUtils.backward((PtNDArray) loss, (PtNDArray) ones, keepGraph, false);
    }
  }

  /** The accumulated gradient of {@code p}, as a view owned by {@code scope}. */
  public static NDArray grad(Parameter p, NDManager scope) {
    NDArray g = p.getArray().getGradient();
    g.attach(scope);
    return g;
  }

  /** Sets the accumulated gradients of all {@code params} to zero. */
  public static void zeroGrad(List<Parameter> params) {
    for (Parameter p : params) {
      if (p.requiresGradient()) {
        JniUtils.zeroGrad((PtNDArray) p.getArray());
      }
    }
  }

  /**
   * Moves {@code derived} (an array computed from a parameter, which DJL puts in the parameter's
   * long-lived manager) into the manager of {@code like} (a per-step array), so that it is freed
   * with the step instead of accumulating. Returns {@code derived}.
   */
  public static NDArray scoped(NDArray derived, NDArray like) {
    derived.attach(like.getManager());
    return derived;
  }

  /** The L2 norm of the gradient of {@code p}. */
  public static double gradNorm(Parameter p, NDManager scope) {
    return grad(p, scope).norm().getFloat();
  }
}
