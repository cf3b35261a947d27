package org.noddildm.model.residual;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.volume.Grid;
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
        o.sampler(diffusion), o.samples(), o.tile(), o.overlap());
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
    return new Estimate(g.mean(), o.samples() > 1 ? g.std() : null, prov);
  }
}
