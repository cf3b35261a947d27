package org.noddildm.model.estimate;

import com.google.gson.JsonObject;
import org.noddildm.core.metrics.ErrorFeatures;
import org.noddildm.core.volume.Volume;

/**
 * What an {@link Estimator} made, on the canonical upsampled grid.
 *
 * @param maps NDI, ODI, FWF
 * @param sd the raw per-voxel standard deviation over samples (before any calibration), or null
 * @param provenance what made them: the parts, their training and the settings
 * @param errorFeatures what a calibration's error model reads to make the sd, or null
 */
public record Estimate(Volume maps, Volume sd, JsonObject provenance,
    ErrorFeatures errorFeatures) {
  /** An estimate without error features. */
  public Estimate(Volume maps, Volume sd, JsonObject provenance) {
    this(maps, sd, provenance, null);
  }
}
