package org.noddildm.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.noddildm.core.BadArgumentException;

/**
 * The model {@code noddi predict} and {@code noddi demo} use without {@code --model}: the
 * pretrained model in the jar ({@link org.noddildm.model.ldm.ShippedModel}), unpacked
 * into a temporary folder.
 */
public final class PretrainedModel {
  private PretrainedModel() {}

  public static boolean available() {
    return org.noddildm.model.ldm.ShippedModel.available();
  }

  public static Path locate() throws IOException {
    if (!available()) {
      throw new BadArgumentException("--model: expected a model directory (train one with noddi"
          + " train --data DIR --out MODEL), found none given, and this build carries no"
          + " pretrained model");
    }
    return org.noddildm.model.ldm.ShippedModel.extract();
  }
}
