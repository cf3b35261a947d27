package org.noddildm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The sigmoid-weighted linear unit {@code silu(x) = x * sigmoid(x)} (Elfwing et al. 2018; also
 * called swish with beta = 1), the activation of the refiner, VQ-GAN and U-Net blocks.
 *
 * <p>DJL's {@code Activation.swish(x, 1)} computes the same values (bit for bit) but first
 * multiplies x by beta: one more tensor per activation, alive until the tile's manager closes.
 * Measured on the whole-brain prediction with the refiner (docs/BENCHMARKS.md, three runs
 * each): peak RSS 2.83-3.31 GB with it against 2.29-2.71 GB with this, in about the same time.
 * So the blocks keep this one function.
 */
public final class SiLU {
  private SiLU() {}

  /** {@code x * sigmoid(x)}, differentiable. */
  public static NDArray apply(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

}
