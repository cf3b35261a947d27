package org.noddildm.model.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.StrictJson;

/** What an autoencoder is trained on: high-res NODDI maps, or the low-res DMRI scan. */
public enum Target {
  /** {@code noddi.nii.gz}: NDI, ODI, FWF in 0..1 (3 channels). */
  NODDI,
  /** {@code dwi_lowres.nii.gz} with its bval/bvec, as per-shell features ({@link DwiCondition}). */
  DWI;

  public static Target parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadArgumentException("VQ-GAN target: expected noddi or dwi, found " + s);
    }
  }

  /**
   * The "data" entry of a new run's model.json: the target, the channel count, what the input
   * is (the scan's shell features with their spec, or the normalised maps) and the datasets.
   */
  public JsonObject dataEntry(int channels, DwiCondition condition, JsonArray datasets) {
    JsonObject meta = new JsonObject();
    meta.addProperty("target", label());
    meta.addProperty("channels", channels);
    if (this == DWI) {
      condition.writeTo(meta); // the input is the shell features, not the normalised DWI
    } else {
      meta.add("normalisation", StrictJson.EXACT.toTree(Normalisation.NODDI));
    }
    meta.add("datasets", datasets);
    return meta;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
