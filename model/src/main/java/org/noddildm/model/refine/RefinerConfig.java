package org.noddildm.model.refine;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.fit.ClassicEstimate;

/**
 * The shape of the anchored refiner network ({@link RefinerNet}).
 *
 * @param inChannels input channels on the low-res grid (default {@link ClassicEstimate#CHANNELS})
 * @param width feature channels of every hidden layer (default 32)
 * @param blocks residual blocks of two 3^3 convolutions each (default 5; an output voxel sees
 *     {@code 2 blocks + 1} low-res voxels on each side)
 * @param factor high-res voxels per low-res voxel along each axis (default 2)
 */
public record RefinerConfig(int inChannels, int width, int blocks, int factor) {
  public RefinerConfig {
    BadArgumentException.require(inChannels >= 1, "refiner input channels: expected >= 1,"
        + " found " + inChannels);
    BadArgumentException.require(width >= 4 && width <= 256, "refiner width: expected 4..256,"
        + " found " + width);
    BadArgumentException.require(blocks >= 0 && blocks <= 32, "refiner blocks: expected 0..32,"
        + " found " + blocks);
    BadArgumentException.require(factor >= 1 && factor <= 4, "refiner factor: expected 1..4,"
        + " found " + factor);
  }

  public static RefinerConfig defaults() {
    return new RefinerConfig(ClassicEstimate.CHANNELS, 32, 5, 2);
  }

  public RefinerConfig withWidth(int w) {
    return new RefinerConfig(inChannels, w, blocks, factor);
  }

  public RefinerConfig withBlocks(int b) {
    return new RefinerConfig(inChannels, width, b, factor);
  }

  public RefinerConfig withFactor(int f) {
    return new RefinerConfig(inChannels, width, blocks, f);
  }

  /** Output channels: the 3 maps at each of the factor^3 sub-voxels. */
  public int outChannels() {
    return 3 * factor * factor * factor;
  }

  /** Low-res voxels on each side that an output voxel sees (its receptive half-width). */
  public int halo() {
    return 2 * blocks + 1;
  }
}
