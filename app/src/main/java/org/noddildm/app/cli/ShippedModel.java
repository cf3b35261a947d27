package org.noddildm.app.cli;

import java.nio.file.Path;
import org.noddildm.core.BadArgumentException;

/**
 * The model {@code noddi predict} uses without {@code --model}. None ships with this version:
 * the small model trained on this machine did not beat the classic baseline (see
 * docs/training-log.md), so predict asks for a trained model directory instead.
 */
final class ShippedModel {
  private ShippedModel() {}

  static Path locate() {
    throw new BadArgumentException("--model: expected a model directory (train one with noddi"
        + " train --data DIR --out MODEL), found none given, and no pretrained model ships with"
        + " this version (see docs/training-log.md)");
  }
}
