package org.noddildm.model.estimate;

import com.google.gson.JsonObject;
import org.noddildm.core.volume.Volume;

/**
 * What an {@link Estimator} made, on the canonical upsampled grid.
 *
 * @param maps NDI, ODI, FWF
 * @param sd the raw per-voxel standard deviation over samples (before any calibration), or null
 * @param provenance what made them: the parts, their training and the settings
 */
public record Estimate(Volume maps, Volume sd, JsonObject provenance) {}
