package org.noddildm.model.train;

import java.util.Locale;

/**
 * The VQ-GAN's losses of one training step (its {@link StepStats#terms}).
 *
 * @param step the step just taken (1-based)
 * @param rec L1 reconstruction loss (plus the gradient term if enabled)
 * @param vq codebook + commitment loss
 * @param perplexity codebook perplexity of the batch
 * @param gan generator adversarial loss (0 before the discriminator starts)
 * @param disc discriminator hinge loss (0 before it starts)
 * @param lambda adaptive GAN weight (0 before the discriminator starts)
 * @param restarts codebook entries restarted at this step
 */
public record VqganLosses(long step, double rec, double vq, double perplexity, double gan,
    double disc, double lambda, int restarts) {

  /** Short form for a progress bar. */
  public String brief() {
    return String.format(Locale.ROOT, "rec %.4f vq %.4f ppl %.1f%s", rec, vq, perplexity,
        lambda > 0 || disc > 0 ? String.format(Locale.ROOT, " g %.3f d %.3f lam %.2f", gan, disc,
            lambda) : "");
  }
}
