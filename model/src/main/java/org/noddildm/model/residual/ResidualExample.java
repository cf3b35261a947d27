package org.noddildm.model.residual;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerExample;

/**
 * One training or validation subject of the residual diffusion model: the refiner's maps, set
 * to 0 outside the brain exactly as {@code Predictor} does (the low-res mask, upsampled), and the
 * truth.
 *
 * @param name the subject, for logs
 * @param refined the refiner's maps on the high-res grid
 * @param truth the true maps on the same grid
 * @param features the classic estimate's features the refiner was given, on the scan's grid
 * @param weight the refiner example's low-res loss weights, for scoring in the brain
 * @param factor the upsampling factor
 */
public record ResidualExample(String name, Volume refined, Volume truth, Volume features,
    Volume weight, int factor) {

  public ResidualExample {
    BadArgumentException.require(refined.nt() == 3 && truth.nt() == 3
        && refined.grid().size() == truth.grid().size(), "residual example " + name
        + ": expected refined and true maps on one grid, found " + refined.grid().shape()
        + " and " + truth.grid().shape());
  }

  /** Runs {@code refiner} on the example's classic features. */
  public static ResidualExample of(RefinerExample e, Refiner refiner) {
    Volume features = e.features();
    Volume refined = refiner.refine(new ClassicEstimate(features.volumes(0, 1, 2), features));
    Grid hi = refined.grid();
    Mask brain = Mask.above(features.volume(ClassicEstimate.CHANNELS - 1), 0.5f)
        .upsampledTo(hi);
    return new ResidualExample(e.name(), brain.applyTo(refined), e.truth(), features, e.weight(),
        refiner.config().factor());
  }
}
