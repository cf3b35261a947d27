package org.noddildm.model.ldm;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.data.DwiCondition;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.estimate.Estimate;
import org.noddildm.model.estimate.Estimator;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.estimate.ScanInput;

/**
 * The diffusion model conditioned on the scan (the original system's design) as an {@link
 * Estimator}: the scan's shell features, encoded by the DMRI VQ-GAN, condition DDIM in the
 * NODDI VQ-GAN's latent space; it needs no NODDI fit.
 *
 * @param generator the sampler and both autoencoders
 * @param condition the shell features it was trained on
 * @param diffusion the noise schedule
 * @param provenance the model's training, steps and data
 * @param manager where the networks' parameters live
 */
public record ScanConditionedEstimator(ConditionalGenerator generator, DwiCondition condition,
    GaussianDiffusion diffusion, JsonObject provenance, NDManager manager) implements Estimator {

  @Override
  public int factor() {
    return condition.factor();
  }

  @Override
  public boolean fitsTheScan() {
    return false;
  }

  @Override
  public long work(Grid canonicalLow, PredictOptions o) {
    return generator.totalSteps(condition.highGrid(canonicalLow), o.sampler(diffusion), o.tile(),
        o.overlap());
  }

  @Override
  public Estimate estimate(ScanInput in, PredictOptions o, LongConsumer progress) {
    Volume features = condition.features(in.scan(), in.table());
    IntConsumer p = progress == null ? null : progress::accept;
    ConditionalGenerator.Maps g = generator.generate(features, in.hiGrid(),
        o.sampler(diffusion), o.samples(), o.seed(), o.tile(), o.overlap(), p, manager);
    JsonObject prov = new JsonObject();
    prov.add("model", provenance.deepCopy());
    o.addSampling(prov);
    return new Estimate(g.mean(), o.samples() > 1 ? g.std() : null, prov);
  }
}
