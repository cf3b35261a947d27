package org.noddildm.model.residual;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.metrics.ErrorMetrics;
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

  /**
   * What the diffusion model learns to add to the refined maps on the way to this subject, the
   * target its residual is taken from: the truth, except that NDI and ODI keep the refined value
   * where the true FWF is {@value ErrorMetrics#FREE_WATER} or more ({@link #TARGET_TISSUE}). There
   * they describe a sliver of tissue that the signal hardly shows and no score counts; left in,
   * their residuals were 40 times the tissue's in variance, set the latent's scale, and taught the
   * model to add noise of that size to NDI and ODI in tissue (docs/plan-diffusion.md).
   */
  public Volume target() {
    Grid g = truth.grid();
    int n = g.size();
    float[] t = truth.data().clone();
    float[] r = refined.data();
    for (int i = 0; i < n; i++) {
      if (t[2 * n + i] >= ErrorMetrics.FREE_WATER) {
        t[i] = r[i];
        t[n + i] = r[n + i];
      }
    }
    return new Volume(g, 3, t);
  }

  /**
   * The value of {@code data.target} in the model.json of a run trained towards {@link
   * #target}; a run without the entry was trained towards the truth in every voxel.
   */
  public static final String TARGET_TISSUE = "truth; NDI and ODI refined where true FWF >= 0.9";

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
