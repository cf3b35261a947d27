package org.noddildm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;

/**
 * The sigmoid-weighted linear unit {@code silu(x) = x * sigmoid(x)} (Elfwing et al. 2018; also
 * called swish with beta = 1), the activation of the VQ-GAN and diffusion U-Net blocks.
 */
public final class SiLU {
  private SiLU() {}

  /** {@code x * sigmoid(x)}, differentiable. */
  public static NDArray apply(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }

  /** A parameter-free block applying SiLU to its single input. */
  public static Block block() {
    return new LambdaBlock(list -> new NDList(apply(list.singletonOrThrow())), "SiLU");
  }
}
