package org.noddildm.model.train;

import org.noddildm.core.BadArgumentException;

/**
 * How to train: schedule and sampling. The network's own shape and seed are in
 * {@link org.noddildm.model.vqgan.VqganConfig}.
 *
 * @param steps total optimizer steps (20000)
 * @param batch crops per step (2)
 * @param crop side of the cubic training crops in voxels, a multiple of the downsampling (32)
 * @param lr Adam learning rate, constant (2e-4)
 * @param beta1 Adam beta1 (0.5, usual for GANs)
 * @param beta2 Adam beta2 (0.9)
 * @param checkpointEvery steps between checkpoints (500)
 * @param validateEvery steps between validations on held-out volumes (1000; 0: never)
 * @param restartPatience steps a code may go unused before it is restarted (200; 0: never)
 * @param tile side of the tiles of whole-volume validation (64)
 * @param overlap overlap of those tiles in voxels (16)
 */
public record TrainConfig(int steps, int batch, int crop, double lr, double beta1, double beta2,
    int checkpointEvery, int validateEvery, int restartPatience, int tile, int overlap) {

  public TrainConfig {
    BadArgumentException.require(steps >= 1,
        "VQ-GAN training steps: expected >= 1, found " + steps);
    BadArgumentException.require(batch >= 1,
        "VQ-GAN training batch: expected >= 1, found " + batch);
    BadArgumentException.require(crop >= 1, "VQ-GAN training crop: expected >= 1, found " + crop);
    BadArgumentException.require(lr > 0 && lr < 1,
        "VQ-GAN training learning rate: expected in (0, 1), found " + lr);
    BadArgumentException.require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1,
        "Adam betas: expected in [0, 1), found " + beta1 + ", " + beta2);
    BadArgumentException.require(checkpointEvery >= 1,
        "checkpoint interval: expected >= 1, found " + checkpointEvery);
    BadArgumentException.require(validateEvery >= 0,
        "validation interval: expected >= 0, found " + validateEvery);
    BadArgumentException.require(restartPatience >= 0,
        "restart patience: expected >= 0, found " + restartPatience);
    BadArgumentException.require(overlap >= 0 && overlap < tile,
        "tile overlap: expected 0 <= overlap < tile (" + tile + "), found " + overlap);
  }

  public static TrainConfig defaults() {
    return new TrainConfig(20000, 2, 32, 2e-4, 0.5, 0.9, 500, 1000, 200, 64, 16);
  }

  /**
   * The schedule of a run on {@code crop}-voxel crops of a network that downsamples by
   * {@code factor}, with the usual GAN Adam betas (0.5, 0.9) and code restarts after 200 idle
   * steps. Whole-volume validation uses tiles as large as the training crops, so that GroupNorm
   * sees the statistics it was trained with, overlapping by half a crop (a multiple of the
   * factor).
   */
  public static TrainConfig forCrops(int steps, int batch, int crop, double lr,
      int checkpointEvery, int validateEvery, int factor) {
    return new TrainConfig(steps, batch, crop, lr, 0.5, 0.9, checkpointEvery, validateEvery,
        200, crop, crop / 2 / factor * factor);
  }

  /** Checks that crops and tiles suit a network that downsamples by {@code factor}. */
  public void requireMultipleOf(int factor) {
    BadArgumentException.require(crop % factor == 0, "VQ-GAN training crop: expected a multiple"
        + " of the downsampling factor " + factor + ", found " + crop);
    BadArgumentException.require(tile % factor == 0, "tile: expected a multiple of the"
        + " downsampling factor " + factor + ", found " + tile);
  }

  public TrainConfig withSteps(int s) {
    return new TrainConfig(s, batch, crop, lr, beta1, beta2, checkpointEvery, validateEvery,
        restartPatience, tile, overlap);
  }

  /** The same with learning rate {@code rate} (a lower rate to fine-tune on resume). */
  public TrainConfig withLr(double rate) {
    return new TrainConfig(steps, batch, crop, rate, beta1, beta2, checkpointEvery, validateEvery,
        restartPatience, tile, overlap);
  }

  public TrainConfig withIntervals(int checkpoint, int validate) {
    return new TrainConfig(steps, batch, crop, lr, beta1, beta2, checkpoint, validate,
        restartPatience, tile, overlap);
  }
}
