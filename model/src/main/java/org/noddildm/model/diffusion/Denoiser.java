package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.noddildm.model.unet.Unet3d;

/**
 * A network that looks at a noisy latent {@code x_t} (B, C, D, H, W), the step {@code t} (B,)
 * and the condition latent (B, Cc, D, H, W) and returns its prediction (B, C, D, H, W): the
 * noise epsilon or the velocity v, as the {@link GaussianDiffusion} it is used with says.
 */
@FunctionalInterface
public interface Denoiser {
  NDArray predict(NDArray xt, NDArray t, NDArray cond, boolean training);

  /** A block whose forward takes (x_t, t, cond), such as {@link Unet3d}. */
  static Denoiser of(Block net, ParameterStore ps) {
    return (xt, t, cond, training) ->
        net.forward(ps, new NDList(xt, t, cond), training).singletonOrThrow();
  }
}
