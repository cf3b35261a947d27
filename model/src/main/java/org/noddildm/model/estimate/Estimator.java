package org.noddildm.model.estimate;

import java.io.IOException;
import java.util.function.LongConsumer;
import org.noddildm.core.volume.Grid;

/**
 * One way to make high-resolution NODDI maps from a low-resolution scan: the classic pipeline
 * ({@link ClassicEstimator}), the refiner ({@link RefinerEstimator}), or a diffusion model (the
 * one built on the refiner, {@code residual.ResidualEstimator}, or the scan-conditioned chain of
 * the original system, {@code ldm.ScanConditionedEstimator}). Each works on the scan in the
 * canonical voxel order with the brain {@code Predictor} found ({@link ScanInput}), and returns
 * the maps on the upsampled grid, with their spread over samples when it samples.
 */
public interface Estimator {
  /** High-res voxels per low-res voxel of the maps it makes. */
  int factor();

  /** Whether it fits NODDI to the scan, which needs a b0 and two diffusion-weighted shells. */
  default boolean fitsTheScan() {
    return true;
  }

  /** The work units {@link #estimate} reports for a scan on {@code canonicalLow} (1 if none). */
  default long work(Grid canonicalLow, PredictOptions o) {
    return 1;
  }

  /** The maps of {@code in}; {@code progress} is called with the work done so far. */
  Estimate estimate(ScanInput in, PredictOptions o, LongConsumer progress) throws IOException;
}
