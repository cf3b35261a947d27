package org.noddildm.model.data;

import java.util.Locale;
import org.noddildm.core.BadArgumentException;

/** What an autoencoder is trained on: high-res NODDI maps, or the low-res DMRI scan. */
public enum Target {
  /** {@code noddi.nii.gz}: NDI, ODI, FWF in 0..1 (3 channels). */
  NODDI,
  /** {@code dwi_lowres.nii.gz} with its bval/bvec: one channel per DWI volume. */
  DWI;

  public static Target parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadArgumentException("VQ-GAN target: expected noddi or dwi, found " + s);
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
