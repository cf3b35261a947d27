package org.noddildm.model.residual;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.metrics.ErrorFeatures;
import org.noddildm.core.metrics.LocalSpread;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.estimate.Estimate;
import org.noddildm.model.estimate.Estimator;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.estimate.RefinerEstimator;
import org.noddildm.model.estimate.ScanInput;
import org.noddildm.model.ldm.ConditionalGenerator;

/**
 * The diffusion model built on the refiner as an {@link Estimator}: the refiner's maps (0
 * outside the brain) and, when the model was trained on them, the classic features condition
 * {@link ResidualDiffusion}, whose samples' mean and spread are the estimate.
 *
 * @param model the sampler of the residual latents
 * @param refiner the refiner it builds on
 * @param diffusion the noise schedule it was trained with
 * @param factor high-res voxels per low-res voxel
 * @param provenance the model's training, steps and data
 * @param manager where the networks' parameters live
 */
public record ResidualEstimator(ResidualDiffusion model, RefinerEstimator refiner,
    GaussianDiffusion diffusion, int factor, JsonObject provenance, NDManager manager)
    implements Estimator {

  @Override
  public long work(Grid canonicalLow, PredictOptions o) {
    return model.totalSteps(VolumeOps.upsampledGrid(canonicalLow, factor),
        o.sampler(diffusion), o.tile(), o.overlap());
  }

  @Override
  public Estimate estimate(ScanInput in, PredictOptions o, LongConsumer progress) {
    ClassicEstimate classic = in.classic();
    Volume refined = in.hiMask().applyTo(refiner.refiner().refine(classic));
    DdimSampler sampler = o.sampler(diffusion);
    IntConsumer p = progress == null ? null : progress::accept;
    ConditionalGenerator.Maps g = model.generate(refined, classic.features(), in.hiMask(), sampler,
        o.samples(), o.seed(), o.tile(), o.overlap(), p, manager);
    JsonObject prov = new JsonObject();
    prov.add("refiner", refiner.provenance().deepCopy());
    prov.add("model", provenance.deepCopy());
    o.addSampling(prov);
    prov.addProperty("maps", o.samples() > 1 ? ResidualDiffusion.POSTERIOR_MEAN
        : "one sample of the model");
    if (o.samples() <= 1) {
      return new Estimate(g.mean(), null, prov, null, g.center());
    }
    prov.addProperty("sd", SD);
    ErrorFeatures f = new ErrorFeatures(g.std(), refined, classic.upsampled(refined.grid()),
        in.hiMask(), ResidualDiffusion.POOLING);
    return new Estimate(g.mean(), f.spreadWithCorrection(CORRECTION_WEIGHT), prov, f, null);
  }

  /**
   * Weight of the refiner's correction against the samples' raw (uncalibrated) sd in {@link
   * #withCorrection}. Chosen on the calibration subjects (seed 21; scales per map and class
   * fitted on two subjects, scored on the third): weights 0, 0.25, 0.5, 1, 2 gave rank
   * correlations of sd and abs error of 0.25 / 0.34 / 0.36 / 0.34 / 0.33 (NDI), 0.13 / 0.22 /
   * 0.22 / 0.22 / 0.21 (ODI), 0.27 / 0.28 / 0.31 / 0.33 / 0.34 (FWF); at 0.5 the spread-skill is
   * 0.88 / 1.02 / 0.77 and the coverage 0.91 / 0.90 / 0.93.
   */
  public static final double CORRECTION_WEIGHT = 0.5;

  /** What the sd this estimator writes is, for the sidecar. */
  public static final String SD = "sqrt(s^2 + (w d)^2): s the samples' sd pooled over 3x3x3"
      + " neighbours in the brain, d the size of the refiner's correction |classic fit"
      + " upsampled - refiner| pooled the same way (where the refiner moved the fit most it is"
      + " least sure), w = " + CORRECTION_WEIGHT + "; scaled by the calibration when the model"
      + " has one";

  /**
   * The samples' sd {@code sd} with the size of the refiner's correction, |{@code classicUp} -
   * {@code refined}| pooled over the brain's 3^3 neighbours (voxels outside {@code brain} weigh
   * nothing, so neither map needs masking first), as a second source of spread
   * ({@link LocalSpread#combined}, weight {@link #CORRECTION_WEIGHT}): the samples alone rank
   * the errors weakly (normalised conformal prediction, Lei et al. 2018, scales the interval by
   * such a difficulty; the calibration then scales the sum).
   */
  static Volume withCorrection(Volume sd, Volume refined, Volume classicUp, Mask brain) {
    return new ErrorFeatures(sd, refined, classicUp, brain, ResidualDiffusion.POOLING)
        .spreadWithCorrection(CORRECTION_WEIGHT);
  }
}
