package org.noddildm.model.estimate;

import com.google.gson.JsonObject;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.diffusion.DdimSampler;
import org.noddildm.model.diffusion.GaussianDiffusion;

/**
 * How {@code Predictor} makes the maps: which {@link Estimator} and its sampling settings.
 *
 * @param method which estimate (default {@link Method#REFINE})
 * @param steps DDIM steps of the diffusion model (default 10)
 * @param eta DDIM eta, 0 deterministic (default 0)
 * @param samples diffusion samples averaged; more than one also gives sd maps (default 4)
 * @param seed seed of the sampling noise (default 0)
 * @param tile largest latent tile side of the diffusion model (default 32)
 * @param overlap least latent tile overlap (default 4)
 */
public record PredictOptions(Method method, int steps, double eta, int samples, long seed,
    int tile, int overlap) {
  /** The estimate to make. */
  public enum Method {
    /** The classic fit upsampled plus the refiner's learned correction (anchored, default). */
    REFINE,
    /** The conditional latent diffusion model (VQ-GAN + DDIM). */
    LDM,
    /** The classic pipeline alone: NODDI fit of the scan, trilinear upsampling. */
    CLASSIC
  }

  public PredictOptions {
    BadArgumentException.require(method != null, "method: expected refine, ldm or classic,"
        + " found none");
    BadArgumentException.require(steps >= 1 && steps <= 1000, "DDIM steps: expected 1..1000,"
        + " found " + steps);
    BadArgumentException.require(eta >= 0 && eta <= 1, "DDIM eta: expected 0..1, found " + eta);
    BadArgumentException.require(samples >= 1, "samples: expected >= 1, found " + samples);
  }

  public static PredictOptions defaults() {
    return new PredictOptions(Method.REFINE, 10, 0, 4, 0, 32, 4);
  }

  public PredictOptions withMethod(Method m) {
    return new PredictOptions(m, steps, eta, samples, seed, tile, overlap);
  }

  public PredictOptions withSampling(int s, double e, int n, long sd) {
    return new PredictOptions(method, s, e, n, sd, tile, overlap);
  }

  public PredictOptions withTiles(int t, int o) {
    return new PredictOptions(method, steps, eta, samples, seed, t, o);
  }

  /** The DDIM sampler of these settings over {@code diffusion}'s schedule. */
  public DdimSampler sampler(GaussianDiffusion diffusion) {
    return new DdimSampler(diffusion, steps, eta);
  }

  /** Writes the sampling settings into a diffusion model's provenance {@code p}. */
  public void addSampling(JsonObject p) {
    p.addProperty("steps", steps);
    p.addProperty("eta", eta);
    p.addProperty("samples", samples);
    p.addProperty("seed", seed);
    p.addProperty("tile", tile);
    p.addProperty("overlap", overlap);
  }
}
