package org.noddildm.model.ldm;

import org.noddildm.core.BadArgumentException;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.NoiseSchedule;
import org.noddildm.model.diffusion.Prediction;
import org.noddildm.model.unet.UnetConfig;

/**
 * Everything that defines a trained latent diffusion model (what sampling needs): the U-Net,
 * the noise schedule and what the network predicts.
 *
 * @param unet the denoiser's shape and seed
 * @param schedule "linear" (DDPM, as in CLDM (github.com/guchengzhong/CLDM)) or "cosine"
 * @param timesteps T, the number of diffusion steps (1000)
 * @param prediction "eps" (CLDM (github.com/guchengzhong/CLDM)) or "v"
 */
public record LdmConfig(UnetConfig unet, String schedule, int timesteps, String prediction) {

  public LdmConfig {
    BadArgumentException.require(unet != null, "LDM config: expected a U-Net config, found none");
    NoiseSchedule.named(schedule, timesteps); // validates both
    Prediction.parse(prediction);
  }

  /**
   * CLDM's process (github.com/guchengzhong/CLDM: linear, T = 1000, epsilon) around
   * {@code unet}.
   */
  public static LdmConfig defaults(UnetConfig unet) {
    return new LdmConfig(unet, "linear", NoiseSchedule.DEFAULT_STEPS, "eps");
  }

  public GaussianDiffusion diffusion() {
    return new GaussianDiffusion(NoiseSchedule.named(schedule, timesteps),
        Prediction.parse(prediction));
  }
}
