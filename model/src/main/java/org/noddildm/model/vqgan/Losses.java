package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;

/** The VQ-GAN's loss terms (Esser et al. 2021), as pure functions of arrays. */
public final class Losses {
  /** The small constant in lambda's denominator. */
  public static final double LAMBDA_EPS = 1e-4;
  /** Upper bound on lambda (as in taming-transformers), against a vanishing GAN gradient. */
  public static final double LAMBDA_MAX = 1e4;

  private Losses() {}

  /** Mean absolute error {@code mean |x - y|}. */
  public static NDArray l1(NDArray x, NDArray y) {
    return x.sub(y).abs().mean();
  }

  /**
   * L1 between spatial finite differences of x and y along D, H and W (an edge-preserving term):
   * {@code sum_a mean |d_a x - d_a y|}, with {@code d_a} the forward difference along axis a.
   */
  public static NDArray gradientL1(NDArray x, NDArray y) {
    NDArray e = x.sub(y); // differences of the error = error of the differences
    NDArray dd = e.get(new NDIndex(":, :, 1:")).sub(e.get(new NDIndex(":, :, :-1")));
    NDArray dh = e.get(new NDIndex(":, :, :, 1:")).sub(e.get(new NDIndex(":, :, :, :-1")));
    NDArray dw = e.get(new NDIndex(":, :, :, :, 1:")).sub(e.get(new NDIndex(":, :, :, :, :-1")));
    return dd.abs().mean().add(dh.abs().mean()).add(dw.abs().mean());
  }

  /** Discriminator hinge loss {@code mean relu(1 - D(x)) + mean relu(1 + D(x_hat))}. */
  public static NDArray discriminatorHinge(NDArray logitsReal, NDArray logitsFake) {
    return Activation.relu(logitsReal.neg().add(1)).mean()
        .add(Activation.relu(logitsFake.add(1)).mean());
  }

  /** Generator adversarial loss {@code L_GAN = -mean D(x_hat)}. */
  public static NDArray generatorAdversarial(NDArray logitsFake) {
    return logitsFake.mean().neg();
  }

  /**
   * The adaptive weight {@code lambda = ||grad_{G_L} L_rec|| / (||grad_{G_L} L_GAN|| + 1e-4)},
   * clipped to [0, 1e4] (Esser et al. 2021, eq. 7).
   */
  public static double adaptiveWeight(double recGradNorm, double ganGradNorm) {
    double lambda = recGradNorm / (ganGradNorm + LAMBDA_EPS);
    return Math.max(0, Math.min(LAMBDA_MAX, lambda));
  }
}
