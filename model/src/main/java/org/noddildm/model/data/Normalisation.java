package org.noddildm.model.data;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;

/**
 * How NODDI maps are scaled to the network's range: they are already in 0..1, so they are only
 * clipped to [0, clip] (NaN becomes 0); the inverse is the identity. The DMRI side is not
 * normalised here: its input is the per-shell SH features of {@link DwiCondition}, which divide
 * by the b0 themselves.
 *
 * @param clip upper clip of the maps (1)
 */
public record Normalisation(double clip) {
  /** The normalisation of NODDI maps: clip to [0, 1]. */
  public static final Normalisation NODDI = new Normalisation(1.0);

  public Normalisation {
    BadArgumentException.require(clip > 0, "normalisation clip: expected > 0, found " + clip);
  }

  /** NODDI maps clipped to [0, clip], as a new volume. */
  public Volume noddi(Volume maps) {
    float[] d = maps.data().clone();
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      d[i] = Float.isNaN(v) ? 0f : Math.max(0f, Math.min((float) clip, v));
    }
    return new Volume(maps.grid(), maps.nt(), d);
  }
}
