package org.noddildm.model.estimate;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import org.noddildm.core.provenance.ProvenanceScrubber;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerCheckpoints;

/**
 * The anchored refiner: the classic fit upsampled plus the refiner's learned correction.
 *
 * @param refiner the loaded refiner
 * @param provenance what {@link #provenance} says of its folder
 */
public record RefinerEstimator(Refiner refiner, JsonObject provenance) implements Estimator {

  /** The refiner of the folder {@code dir}, loaded by the caller. */
  public static RefinerEstimator of(Refiner refiner, Path dir) throws IOException {
    return new RefinerEstimator(refiner, provenance(dir));
  }

  /** The config, step, seed and (scrubbed) training data of the refiner folder {@code dir}. */
  public static JsonObject provenance(Path dir) throws IOException {
    JsonObject j = RefinerCheckpoints.readJson(dir);
    JsonObject p = new JsonObject();
    p.add("config", j.get("config"));
    p.add("step", j.get("step"));
    p.add("seed", j.get("seed"));
    p.add("data", ProvenanceScrubber.scrub(j.get("data")));
    return p;
  }

  @Override
  public int factor() {
    return refiner.config().factor();
  }

  @Override
  public Estimate estimate(ScanInput in, PredictOptions o, LongConsumer progress) {
    JsonObject p = new JsonObject();
    p.add("refiner", provenance.deepCopy());
    return new Estimate(refiner.refine(in.classic()), null, p);
  }
}
