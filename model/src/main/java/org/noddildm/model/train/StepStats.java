package org.noddildm.model.train;

import java.util.Locale;

/**
 * One training step as every trainer reports it (the VQ-GAN's, the refiner's, the diffusion
 * model's): the one step record of the training contract.
 *
 * @param step the step just taken (1-based)
 * @param loss the loss the step minimised (the diffusion model's: smoothed over about 50 steps)
 * @param lr the learning rate of the step
 * @param terms the part's own loss terms for a progress bar, or empty
 */
public record StepStats(long step, double loss, double lr, String terms) {

  /** Short form for a progress bar: the part's terms, or the loss and the learning rate. */
  public String brief() {
    return terms.isEmpty() ? String.format(Locale.ROOT, "loss %.5f lr %.2e", loss, lr) : terms;
  }
}
