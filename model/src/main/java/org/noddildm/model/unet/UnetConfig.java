package org.noddildm.model.unet;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;

/**
 * Shape of the 3D U-Net denoiser (Ho et al. 2020, appendix B, here in 3D on VQ-GAN latents).
 * Validated on construction.
 *
 * @param channels channels of the noisy latent x_t and of the output (the NODDI latent dim, 8)
 * @param condChannels channels of the condition latent concatenated to x_t (the DWI latent dim, 8)
 * @param baseWidth feature channels at the latent resolution (32)
 * @param multipliers width multiplier per level; level i works at 1/2^i of the latent grid
 *     ({1, 2}: one halving, so latent sizes must be even)
 * @param resBlocks residual blocks per level on the way down (1; one more on the way up)
 * @param attention self-attention at the lowest resolution (true)
 * @param maxGroups upper bound on GroupNorm groups (8)
 * @param timeDim width of the sinusoidal step embedding; its MLP is 4x wider (32)
 * @param seed seed of the weight initialisation (42)
 * @param globalContext the mean of the lowest level's features over the whole grid, through a
 *     two-layer MLP, is added to the step embedding of every later block (false): what the
 *     whole volume says (a level read from every voxel, a random draw shared by every voxel)
 *     reaches every voxel, which convolutions alone see only as far as their receptive field
 */
public record UnetConfig(
    int channels,
    int condChannels,
    int baseWidth,
    int[] multipliers,
    int resBlocks,
    boolean attention,
    int maxGroups,
    int timeDim,
    long seed,
    boolean globalContext) {

  public UnetConfig {
    require(channels >= 1, "channels", ">= 1", channels);
    require(condChannels >= 0, "condChannels", ">= 0", condChannels);
    require(baseWidth >= 1, "baseWidth", ">= 1", baseWidth);
    require(multipliers != null && multipliers.length >= 1, "multipliers", "at least one level",
        Arrays.toString(multipliers));
    for (int m : multipliers) {
      require(m >= 1, "multipliers", "values >= 1", Arrays.toString(multipliers));
    }
    multipliers = multipliers.clone();
    require(resBlocks >= 1, "resBlocks", ">= 1", resBlocks);
    require(maxGroups >= 1, "maxGroups", ">= 1", maxGroups);
    require(timeDim >= 2 && timeDim % 2 == 0, "timeDim", "an even number >= 2", timeDim);
  }

  /** A U-Net without the global context path. */
  public UnetConfig(int channels, int condChannels, int baseWidth, int[] multipliers,
      int resBlocks, boolean attention, int maxGroups, int timeDim, long seed) {
    this(channels, condChannels, baseWidth, multipliers, resBlocks, attention, maxGroups, timeDim,
        seed, false);
  }

  /** The CPU-sized defaults for latents of {@code channels} and conditions of {@code cond}. */
  public static UnetConfig defaults(int channels, int cond) {
    return new UnetConfig(channels, cond, 32, new int[] {1, 2}, 1, true, 8, 32, 42);
  }

  /** A very small model for tests. */
  public static UnetConfig tiny(int channels, int cond) {
    return new UnetConfig(channels, cond, 8, new int[] {1, 2}, 1, true, 4, 8, 1);
  }

  /** The same network for latents of {@code c} channels and conditions of {@code cond}. */
  public UnetConfig withChannels(int c, int cond) {
    return new UnetConfig(c, cond, baseWidth, multipliers, resBlocks, attention, maxGroups,
        timeDim, seed, globalContext);
  }

  /**
   * The U-Net of the diffusion model built on the refiner: width {@code width}, levels 1 and
   * 2, self-attention as given, 8 groups, time embedding 32, weights from {@code seed}; its
   * channels are set from the latents ({@link #withChannels}).
   */
  public static UnetConfig residual(int width, boolean attention, long seed) {
    return residual(width, 2, 1, attention, seed);
  }

  /** The most levels {@link #residual(int, int, int, boolean, long)} builds. */
  public static final int MAX_RESIDUAL_LEVELS = 4;

  /**
   * The U-Net of the diffusion model built on the refiner with {@code levels} resolution levels
   * (widths 1, 2, 4, 4, ... times {@code width}: each level halves the latent grid, so a crop
   * must be a multiple of 2^(levels - 1)) and {@code resBlocks} residual blocks per level on the
   * way down; otherwise as {@link #residual(int, boolean, long)}.
   */
  public static UnetConfig residual(int width, int levels, int resBlocks, boolean attention,
      long seed) {
    require(levels >= 1 && levels <= MAX_RESIDUAL_LEVELS, "levels", "1.." + MAX_RESIDUAL_LEVELS,
        levels);
    int[] m = new int[levels];
    for (int l = 0; l < levels; l++) {
      m[l] = Math.min(1 << l, 4);
    }
    return new UnetConfig(1, 1, width, m, resBlocks, attention, 8, 32, seed);
  }

  @Override
  public int[] multipliers() {
    return multipliers.clone();
  }

  public int levels() {
    return multipliers.length;
  }

  /** Channels at level {@code i}. */
  public int width(int level) {
    return baseWidth * multipliers[level];
  }

  /** Latent sizes must be multiples of this ({@code 2^(levels - 1)}). */
  public int sizeMultiple() {
    return 1 << (multipliers.length - 1);
  }

  public UnetConfig withSeed(long s) {
    return new UnetConfig(channels, condChannels, baseWidth, multipliers, resBlocks, attention,
        maxGroups, timeDim, s, globalContext);
  }

  /** The same network with the global context path on or off. */
  public UnetConfig withGlobalContext(boolean on) {
    return new UnetConfig(channels, condChannels, baseWidth, multipliers, resBlocks, attention,
        maxGroups, timeDim, seed, on);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnetConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "UnetConfig[channels=" + channels + ", condChannels=" + condChannels + ", baseWidth="
        + baseWidth + ", multipliers=" + Arrays.toString(multipliers) + ", resBlocks="
        + resBlocks + ", attention=" + attention + ", maxGroups=" + maxGroups + ", timeDim="
        + timeDim + ", seed=" + seed + ", globalContext=" + globalContext + "]";
  }

  private static void require(boolean ok, String name, String expected, Object found) {
    BadArgumentException.require(ok, "U-Net " + name + ": expected " + expected + ", found "
        + found);
  }
}
