package org.noddildm.model.diffusion;

import org.noddildm.core.NoddiException;

/**
 * Training produced a loss that is not finite. Raised before the weights are updated, so the
 * model and its last checkpoint stay usable.
 */
public final class TrainingDivergedException extends NoddiException {
  public TrainingDivergedException(String message) {
    super(message);
  }
}
