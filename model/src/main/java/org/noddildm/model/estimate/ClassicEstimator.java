package org.noddildm.model.estimate;

import com.google.gson.JsonObject;
import java.util.function.LongConsumer;

/** The classic pipeline: the dictionary NODDI fit of the scan, upsampled trilinearly. */
public final class ClassicEstimator implements Estimator {
  private final int factor;

  /** Upsampling by {@code factor}, the model's (so that the methods compare voxel by voxel). */
  public ClassicEstimator(int factor) {
    this.factor = factor;
  }

  @Override
  public int factor() {
    return factor;
  }

  @Override
  public Estimate estimate(ScanInput in, PredictOptions o, LongConsumer progress) {
    return new Estimate(in.classic().upsampled(in.hiGrid()), null, new JsonObject());
  }
}
