package org.noddildm.model.vqgan;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;

/**
 * Shape and training constants of the 3D VQ-GAN (Esser et al. 2021, "Taming Transformers for
 * High-Resolution Image Synthesis", here in 3D). Validated on construction.
 *
 * @param inChannels channels of the volumes: 3 for NODDI maps (NDI, ODI, FWF), K for DMRI
 * @param baseWidth feature channels at full resolution (16: CPU-sized)
 * @param multipliers width multiplier per resolution level; {@code log2(downFactor) + 1} levels
 * @param resBlocks residual blocks per level (1)
 * @param attention self-attention at the lowest resolution (false: cheaper on CPU)
 * @param downFactor spatial downsampling per axis, a power of two (4)
 * @param latentDim channels of the latent = dimension of a codebook vector (8)
 * @param codebookSize number of codebook entries K (512)
 * @param codeGroups groups the latent channels are split into, each group quantized on its own
 *     with the shared codebook of {@code latentDim / codeGroups}-vector entries (product
 *     quantization; 1 = one code per latent voxel as in VQ-VAE). A latent voxel then carries
 *     {@code codeGroups * log2(codebookSize)} bits instead of {@code log2(codebookSize)}. 0 in a
 *     model file written before this option means 1.
 * @param beta commitment loss weight (0.25, as in van den Oord et al. 2017)
 * @param maxGroups upper bound on GroupNorm groups (8)
 * @param discStart training step at which the discriminator starts (2000)
 * @param discWidth discriminator channels in its first layer (16)
 * @param discLayers strided layers of the patch discriminator (2)
 * @param discWeight factor on the adaptive GAN weight lambda (0.8, as in taming's configs)
 * @param gradWeight weight of the L1 loss on spatial finite differences (0.0: off)
 * @param seed seed of weight initialisation, crops and code restarts
 */
public record VqganConfig(
    int inChannels,
    int baseWidth,
    int[] multipliers,
    int resBlocks,
    boolean attention,
    int downFactor,
    int latentDim,
    int codebookSize,
    int codeGroups,
    double beta,
    int maxGroups,
    int discStart,
    int discWidth,
    int discLayers,
    double discWeight,
    double gradWeight,
    long seed) {

  public VqganConfig {
    require(inChannels >= 1, "inChannels", ">= 1", inChannels);
    require(baseWidth >= 1, "baseWidth", ">= 1", baseWidth);
    require(downFactor >= 1 && Integer.bitCount(downFactor) == 1, "downFactor",
        "a power of two", downFactor);
    int levels = Integer.numberOfTrailingZeros(downFactor) + 1;
    require(multipliers != null && multipliers.length == levels, "multipliers",
        levels + " values (log2(downFactor) + 1)", Arrays.toString(multipliers));
    for (int m : multipliers) {
      require(m >= 1, "multipliers", "values >= 1", Arrays.toString(multipliers));
    }
    multipliers = multipliers.clone();
    require(resBlocks >= 1, "resBlocks", ">= 1", resBlocks);
    require(latentDim >= 1, "latentDim", ">= 1", latentDim);
    require(codebookSize >= 2, "codebookSize", ">= 2", codebookSize);
    if (codeGroups == 0) {
      codeGroups = 1; // model files from before product quantization
    }
    require(codeGroups >= 1 && latentDim % codeGroups == 0, "codeGroups",
        "a divisor of latentDim " + latentDim, codeGroups);
    require(beta >= 0, "beta", ">= 0", beta);
    require(maxGroups >= 1, "maxGroups", ">= 1", maxGroups);
    require(discStart >= 0, "discStart", ">= 0", discStart);
    require(discWidth >= 1, "discWidth", ">= 1", discWidth);
    require(discLayers >= 1, "discLayers", ">= 1", discLayers);
    require(discWeight >= 0, "discWeight", ">= 0", discWeight);
    require(gradWeight >= 0, "gradWeight", ">= 0", gradWeight);
  }

  /** The CPU-sized defaults for volumes with {@code inChannels} channels. */
  public static VqganConfig defaults(int inChannels) {
    return new VqganConfig(inChannels, 16, new int[] {1, 2, 2}, 1, false, 4, 8, 512, 1, 0.25, 8,
        2000, 16, 2, 0.8, 0.0, 42);
  }

  /**
   * Width multipliers for {@code downFactor}: 1 at full resolution, 2 at every coarser level
   * (the defaults' 1-2-2 for a factor of 4).
   */
  public static int[] multipliersFor(int downFactor) {
    require(downFactor >= 1 && Integer.bitCount(downFactor) == 1, "downFactor",
        "a power of two", downFactor);
    int[] m = new int[Integer.numberOfTrailingZeros(downFactor) + 1];
    java.util.Arrays.fill(m, 2);
    m[0] = 1;
    return m;
  }

  /** A very small model for tests: width 4, codebook 32 x 4. */
  public static VqganConfig tiny(int inChannels) {
    return new VqganConfig(inChannels, 4, new int[] {1, 2, 2}, 1, false, 4, 4, 32, 1, 0.25, 2,
        0, 4, 2, 0.8, 0.0, 1);
  }

  @Override
  public int[] multipliers() {
    return multipliers.clone();
  }

  /** Length of one codebook vector: {@code latentDim / codeGroups}. */
  public int codeDim() {
    return latentDim / codeGroups;
  }

  /** Number of resolution levels, {@code log2(downFactor) + 1}. */
  public int levels() {
    return multipliers.length;
  }

  /** Channels at level {@code i}. */
  public int width(int level) {
    return baseWidth * multipliers[level];
  }

  public VqganConfig withSeed(long s) {
    return new VqganConfig(inChannels, baseWidth, multipliers, resBlocks, attention, downFactor,
        latentDim, codebookSize, codeGroups, beta, maxGroups, discStart, discWidth, discLayers,
        discWeight, gradWeight, s);
  }

  public VqganConfig withDiscStart(int step) {
    return new VqganConfig(inChannels, baseWidth, multipliers, resBlocks, attention, downFactor,
        latentDim, codebookSize, codeGroups, beta, maxGroups, step, discWidth, discLayers,
        discWeight, gradWeight, seed);
  }

  /** The encoder/decoder base width and the discriminator's width both {@code w}. */
  public VqganConfig withWidth(int w) {
    return new VqganConfig(inChannels, w, multipliers, resBlocks, attention, downFactor,
        latentDim, codebookSize, codeGroups, beta, maxGroups, discStart, w, discLayers,
        discWeight, gradWeight, seed);
  }

  /** Downsampling by {@code f}, with the level multipliers {@link #multipliersFor} gives. */
  public VqganConfig withDownFactor(int f) {
    return new VqganConfig(inChannels, baseWidth, multipliersFor(f), resBlocks, attention, f,
        latentDim, codebookSize, codeGroups, beta, maxGroups, discStart, discWidth, discLayers,
        discWeight, gradWeight, seed);
  }

  /** The latent: {@code dim} channels, {@code codes} codebook entries, {@code groups} groups. */
  public VqganConfig withLatent(int dim, int codes, int groups) {
    return new VqganConfig(inChannels, baseWidth, multipliers, resBlocks, attention, downFactor,
        dim, codes, groups, beta, maxGroups, discStart, discWidth, discLayers, discWeight,
        gradWeight, seed);
  }

  public VqganConfig withInChannels(int c) {
    return new VqganConfig(c, baseWidth, multipliers, resBlocks, attention, downFactor,
        latentDim, codebookSize, codeGroups, beta, maxGroups, discStart, discWidth, discLayers,
        discWeight, gradWeight, seed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VqganConfig c && toString().equals(c.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "VqganConfig[inChannels=" + inChannels + ", baseWidth=" + baseWidth + ", multipliers="
        + Arrays.toString(multipliers) + ", resBlocks=" + resBlocks + ", attention=" + attention
        + ", downFactor=" + downFactor + ", latentDim=" + latentDim + ", codebookSize="
        + codebookSize + ", codeGroups=" + codeGroups + ", beta=" + beta + ", maxGroups="
        + maxGroups + ", discStart=" + discStart + ", discWidth=" + discWidth + ", discLayers=" + discLayers + ", discWeight="
        + discWeight + ", gradWeight=" + gradWeight + ", seed=" + seed + "]";
  }

  private static void require(boolean ok, String name, String expected, Object found) {
    BadArgumentException.require(ok, "VQ-GAN " + name + ": expected " + expected + ", found "
        + found);
  }
}
