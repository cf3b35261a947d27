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
 * @param center when {@code maps} is one sample: the posterior-mean estimate it was drawn
 *     around (a calibration may scale the sample's deviation from it), else null
 */
public record Estimate(Volume maps, Volume sd, JsonObject provenance,
    ErrorFeatures errorFeatures, Volume center) {
  /** An estimate without error features or center. */
  public Estimate(Volume maps, Volume sd, JsonObject provenance) {
    this(maps, sd, provenance, null, null);
  }
}
