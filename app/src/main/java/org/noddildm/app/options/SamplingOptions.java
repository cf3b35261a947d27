package org.noddildm.app.options;

import org.noddildm.model.estimate.PredictOptions;
import picocli.CommandLine.Option;

/**
 * How the diffusion model samples: the options of every command that runs it (predict, demo,
 * bids, validate, calibrate), with the defaults of {@link PredictOptions#defaults()}.
 */
public final class SamplingOptions {
  private static final PredictOptions DEFAULTS = PredictOptions.defaults();

  @Option(names = "--ddim-steps", paramLabel = "N", description = "DDIM steps of the diffusion"
      + " model (default: ${DEFAULT-VALUE}).")
  int steps = DEFAULTS.steps();

  @Option(names = "--eta", paramLabel = "ETA", description = "DDIM eta: 0 deterministic, 1"
      + " DDPM-like (default: ${DEFAULT-VALUE}).")
  double eta = DEFAULTS.eta();

  @Option(names = "--samples", paramLabel = "N", description = "Diffusion samples; their mean"
      + " is the estimate, and more than one also give the per-voxel sd (default:"
      + " ${DEFAULT-VALUE}).")
  int samples = DEFAULTS.samples();

  @Option(names = "--tile", paramLabel = "N", description = "Largest latent tile side in latent"
      + " voxels; the brain's box is cut into as few and as small tiles as fit; 32 (64 voxels at"
      + " factor 2) samples a 64^3 subject in one piece, and keeps a whole brain's 4 samples"
      + " below 4 GB (default: ${DEFAULT-VALUE}).")
  int tile = DEFAULTS.tile();

  @Option(names = "--overlap", paramLabel = "N", description = "Least overlap of latent tiles"
      + " in latent voxels (default: ${DEFAULT-VALUE}).")
  int overlap = DEFAULTS.overlap();

  /** DDIM steps. */
  public int steps() {
    return steps;
  }

  /** Diffusion samples. */
  public int samples() {
    return samples;
  }

  /** {@code base} with these sampling settings and {@code seed}. */
  public PredictOptions apply(PredictOptions base, long seed) {
    return base.withSampling(steps, eta, samples, seed).withTiles(tile, overlap);
  }

  /** DDIM eta. */
  public double eta() {
    return eta;
  }

  /** Latent tile side. */
  public int tile() {
    return tile;
  }

  /** Latent tile overlap. */
  public int overlap() {
    return overlap;
  }
}
