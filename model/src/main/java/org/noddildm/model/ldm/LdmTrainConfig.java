package org.noddildm.model.ldm;

import org.noddildm.core.BadArgumentException;
import org.noddildm.model.diffusion.NoiseLevels;

/**
 * How to train the latent diffusion model.
 *
 * @param steps total optimizer steps (20000)
 * @param batch latent crops per step (4)
 * @param crop side of the cubic latent crops in latent voxels (8; 8 latent = 32 image voxels at
 *     VQ-GAN factor 4), a multiple of the U-Net's size multiple
 * @param lr Adam learning rate, constant (2e-4)
 * @param emaDecay decay of the weight average used for sampling (0.999)
 * @param checkpointEvery steps between checkpoints (500)
 * @param noiseLevels the steps a batch is trained at, a {@link NoiseLevels} label ("uniform";
 *     a model.json from before the choice existed reads as uniform)
 */
public record LdmTrainConfig(int steps, int batch, int crop, double lr, double emaDecay,
    int checkpointEvery, String noiseLevels) {

  /** Uniform steps. */
  public LdmTrainConfig(int steps, int batch, int crop, double lr, double emaDecay,
      int checkpointEvery) {
    this(steps, batch, crop, lr, emaDecay, checkpointEvery, NoiseLevels.UNIFORM.label());
  }

  public LdmTrainConfig {
    noiseLevels = noiseLevels == null ? NoiseLevels.UNIFORM.label()
        : NoiseLevels.parse(noiseLevels).label();
    BadArgumentException.require(steps >= 1, "LDM training steps: expected >= 1, found " + steps);
    BadArgumentException.require(batch >= 1, "LDM training batch: expected >= 1, found " + batch);
    BadArgumentException.require(crop >= 1, "LDM training crop: expected >= 1, found " + crop);
    BadArgumentException.require(lr > 0 && lr < 1,
        "LDM training learning rate: expected in (0, 1), found " + lr);
    BadArgumentException.require(emaDecay >= 0 && emaDecay < 1,
        "LDM training EMA decay: expected in [0, 1), found " + emaDecay);
    BadArgumentException.require(checkpointEvery >= 1,
        "checkpoint interval: expected >= 1, found " + checkpointEvery);
  }

  public static LdmTrainConfig defaults() {
    return new LdmTrainConfig(20000, 4, 8, 2e-4, 0.999, 500);
  }

  public LdmTrainConfig withSteps(int s) {
    return new LdmTrainConfig(s, batch, crop, lr, emaDecay, checkpointEvery, noiseLevels);
  }

  /** The same trained at {@code levels}. */
  public LdmTrainConfig withNoiseLevels(NoiseLevels levels) {
    return new LdmTrainConfig(steps, batch, crop, lr, emaDecay, checkpointEvery, levels.label());
  }

  /** The steps a batch is trained at. */
  public NoiseLevels levels() {
    return NoiseLevels.parse(noiseLevels);
  }

  /** The same with learning rate {@code rate} (a lower rate to fine-tune on resume). */
  public LdmTrainConfig withLr(double rate) {
    return new LdmTrainConfig(steps, batch, crop, rate, emaDecay, checkpointEvery, noiseLevels);
  }
}
