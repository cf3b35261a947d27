package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.model.nn.Autograd;

/**
 * The generator's backward pass with the adaptive GAN weight of Esser et al. 2021:
 * {@code L = L_rec + L_vq + lambda L_GAN}, with
 * {@code lambda = w ||grad_{G_L} L_rec|| / (||grad_{G_L} L_GAN|| + 1e-4)} measured at the
 * decoder's last layer {@code G_L} and treated as a constant.
 *
 * <p>Two backward passes through one forward graph: first {@code L_rec + L_vq} (keeping the
 * graph; {@code L_vq} does not reach {@code G_L}, so the gradient there is that of
 * {@code L_rec}); its gradients are set aside; then {@code L_GAN}; finally each generator
 * gradient becomes {@code g_rec + lambda g_GAN}.
 */
public final class AdaptiveWeight {
  private AdaptiveWeight() {}

  /**
   * Backpropagates the generator loss; returns lambda. {@code generator} must hold every
   * trainable generator parameter, {@code lastLayer} among them; their gradients must be zero on
   * entry. Gradients also reach the discriminator's parameters: zero them before its own step.
   *
   * @param recAndVq {@code L_rec + L_vq}, a scalar
   * @param gan {@code L_GAN}, a scalar from the same forward pass
   * @param discWeight the factor w on lambda
   */
  public static double backward(NDArray recAndVq, NDArray gan, Parameter lastLayer,
      List<Parameter> generator, double discWeight, NDManager scope) {
    Autograd.backward(recAndVq, true);
    double recNorm = Autograd.gradNorm(lastLayer, scope);
    List<NDArray> saved = new ArrayList<>(generator.size());
    for (Parameter p : generator) {
      NDArray g = Autograd.grad(p, scope).duplicate();
      g.attach(scope);
      saved.add(g);
    }
    Autograd.zeroGrad(generator);
    Autograd.backward(gan, false);
    double ganNorm = Autograd.gradNorm(lastLayer, scope);
    double lambda = discWeight * Losses.adaptiveWeight(recNorm, ganNorm);
    for (int i = 0; i < generator.size(); i++) {
      Autograd.grad(generator.get(i), scope).muli((float) lambda).addi(saved.get(i));
    }
    return lambda;
  }
}
