package org.noddildm.model.pipeline;

import org.noddildm.core.BadArgumentException;
import org.noddildm.model.ldm.LdmTrainConfig;
import org.noddildm.model.refine.RefinerConfig;
import org.noddildm.model.refine.RefinerTrainConfig;
import org.noddildm.model.train.TrainConfig;
import org.noddildm.model.unet.UnetConfig;
import org.noddildm.model.vqgan.VqganConfig;

/**
 * The knobs of {@code noddi train}, one per option, with the settings of the model that ships as
 * {@link #shipped()}: the command's defaults come from here, and {@link #config()} makes the
 * pipeline's {@link TrainPipeline.Config} from them (checkpoint and validation intervals at a
 * quarter or a twelfth of each part's steps).
 *
 * @param holdOut last subjects of each dataset kept for validation
 * @param stepsVqgan NODDI VQ-GAN steps at {@code lr}
 * @param finetuneVqgan further VQ-GAN steps at {@code finetuneLr}
 * @param widthVqgan VQ-GAN base width
 * @param downFactor VQ-GAN downsampling per axis
 * @param latentDim VQ-GAN latent channels
 * @param codebook VQ-GAN codebook entries
 * @param codeGroups VQ-GAN product-quantization groups
 * @param crop VQ-GAN training crop side
 * @param batchVqgan VQ-GAN crops per step
 * @param discStart VQ-GAN step at which the discriminator starts, or null for never
 * @param lr VQ-GAN learning rate
 * @param stepsRefiner refiner steps
 * @param widthRefiner refiner width
 * @param blocks refiner residual blocks
 * @param cropRefiner refiner training crop side (low-res voxels)
 * @param lrRefiner refiner learning rate
 * @param gradientWeight refiner gradient-loss weight
 * @param freeWaterWeight refiner loss weight of NDI and ODI in free water, or null for the
 *     record's default
 * @param stepsLdm diffusion steps at {@code lrLdm}
 * @param finetuneLdm further diffusion steps at {@code finetuneLr}
 * @param widthLdm U-Net base width
 * @param attention self-attention at the U-Net's lowest level
 * @param latentCrop latent crop side of the diffusion model's training
 * @param batchLdm latent crops per step
 * @param lrLdm diffusion learning rate
 * @param finetuneLr learning rate of the fine-tuning phases
 * @param ema decay of the diffusion model's weight average
 * @param validateSteps DDIM steps of the diffusion model's validation samples
 * @param seed seed of all parts
 */
public record TrainSettings(int holdOut, int stepsVqgan, int finetuneVqgan, int widthVqgan,
    int downFactor, int latentDim, int codebook, int codeGroups, int crop, int batchVqgan,
    Integer discStart, double lr, int stepsRefiner, int widthRefiner, int blocks,
    int cropRefiner, double lrRefiner, double gradientWeight, Double freeWaterWeight,
    int stepsLdm, int finetuneLdm, int widthLdm, boolean attention, int latentCrop, int batchLdm,
    double lrLdm, double finetuneLr, double ema, int validateSteps, long seed) {

  public TrainSettings {
    BadArgumentException.require(stepsVqgan >= 1 && stepsRefiner >= 1 && stepsLdm >= 1,
        "--steps-vqgan/--steps-refiner/--steps-ldm: expected >= 1, found " + stepsVqgan + ", "
            + stepsRefiner + ", " + stepsLdm);
  }

  /** The settings the shipped model was trained with (CPU-sized). */
  public static TrainSettings shipped() {
    return new TrainSettings(1, 2000, 600, 16, 2, 8, 256, 4, 32, 2, null, 4e-4, 3000, 32, 5,
        24, 1e-3, 0.5, null, 4000, 0, 24, false, 16, 4, 2e-4, 1e-4, 0.995, 10, 42);
  }

  /** The pipeline's config of these settings. */
  public TrainPipeline.Config config() {
    int totalVqgan = stepsVqgan + finetuneVqgan;
    VqganConfig vq = VqganConfig.defaults(3).withWidth(widthVqgan).withDownFactor(downFactor)
        .withLatent(latentDim, codebook, codeGroups)
        .withDiscStart(discStart == null ? totalVqgan + 1 : discStart).withSeed(seed);
    int every = Math.max(1, totalVqgan / 4);
    TrainConfig vqTrain = TrainConfig.forCrops(stepsVqgan, batchVqgan, crop, lr, every, every,
        downFactor);
    RefinerTrainConfig rt = RefinerTrainConfig.defaults().withSteps(stepsRefiner)
        .withLr(lrRefiner).withBatch(4).withSeed(seed).withCrop(cropRefiner)
        .withIntervals(Math.max(1, stepsRefiner / 12), Math.max(1, stepsRefiner / 12))
        .withGradientWeight(gradientWeight);
    if (freeWaterWeight != null) {
      rt = rt.withFreeWaterWeight(freeWaterWeight);
    }
    int totalLdm = stepsLdm + finetuneLdm;
    return new TrainPipeline.Config(vq, vqTrain, finetuneVqgan,
        RefinerConfig.defaults().withWidth(widthRefiner).withBlocks(blocks), rt,
        UnetConfig.residual(widthLdm, attention, seed),
        new LdmTrainConfig(stepsLdm, batchLdm, latentCrop, lrLdm, ema,
            Math.max(1, totalLdm / 4)), finetuneLdm, finetuneLr, holdOut, validateSteps,
        Math.max(1, totalLdm / 4));
  }
}
