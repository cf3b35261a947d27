package org.noddildm.model.residual;

import com.google.gson.JsonObject;
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
   * What the diffusion model learns to add to the refined maps: the residual is taken towards
   * {@link #target}, which is the truth except where the truth says nothing that any score or
   * user reads. Left in, those residuals dwarfed the tissue's, set the latent's scale and taught
   * the model to add noise of their size everywhere (docs/plan-diffusion.md).
   */
  public enum Target {
    /** The truth in every voxel (models from before the choice). */
    TRUTH("truth"),
    /**
     * NDI and ODI keep the refined value where the true FWF is {@value ErrorMetrics#FREE_WATER}
     * or more: a sliver of tissue the signal hardly shows, which no score counts.
     */
    TISSUE("truth; NDI and ODI refined where true FWF >= 0.9"),
    /**
     * As {@link #TISSUE}, and every map keeps the refined value outside the true brain (all
     * three true maps 0), where the phantom's 0 is no tissue value and no score counts: inside
     * the scan's mask but outside the brain the refined FWF is about 1 and the truth 0, a
     * residual ten times the tissue's in variance.
     */
    BRAIN("truth in the brain, refined outside it; NDI and ODI refined where true FWF >= 0.9");

    private final String meaning;

    Target(String meaning) {
      this.meaning = meaning;
    }

    /** The value of {@code data.target} in model.json. */
    public String meaning() {
      return meaning;
    }

    /** The target of the run whose "data" entry is {@code meta} (none recorded: the truth). */
    public static Target of(JsonObject meta) {
      if (meta == null || !meta.has("target")) {
        return TRUTH;
      }
      String m = meta.get("target").getAsString();
      for (Target t : values()) {
        if (t.meaning.equals(m)) {
          return t;
        }
      }
      throw new BadArgumentException("diffusion model: expected data.target to be one of the"
          + " known targets, found '" + m + "'");
    }
  }

  /** The maps the residual is taken towards for {@code kind} (see {@link Target}). */
  public Volume target(Target kind) {
    if (kind == Target.TRUTH) {
      return truth;
    }
    Grid g = truth.grid();
    int n = g.size();
    float[] t = truth.data().clone();
    float[] r = refined.data();
    for (int i = 0; i < n; i++) {
      boolean outside = t[i] == 0f && t[n + i] == 0f && t[2 * n + i] == 0f;
      if (kind == Target.BRAIN && outside) {
        t[i] = r[i];
        t[n + i] = r[n + i];
        t[2 * n + i] = r[2 * n + i];
      } else if (t[2 * n + i] >= ErrorMetrics.FREE_WATER) {
        t[i] = r[i];
        t[n + i] = r[n + i];
      }
    }
    return new Volume(g, 3, t);
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
