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
 * @param schedule linear (DDPM, as in CLDM (github.com/guchengzhong/CLDM)) or cosine
 * @param timesteps T, the number of diffusion steps (1000)
 * @param prediction epsilon (CLDM (github.com/guchengzhong/CLDM)) or v
 */
public record LdmConfig(UnetConfig unet, NoiseSchedule.Kind schedule, int timesteps,
    Prediction prediction) {

  public LdmConfig {
    BadArgumentException.require(unet != null, "LDM config: expected a U-Net config, found none");
    // model.json may hold a name Gson does not know, which it reads as null
    BadArgumentException.require(schedule != null, "LDM config: expected the noise schedule"
        + " linear or cosine, found none or another name");
    BadArgumentException.require(prediction != null, "LDM config: expected the prediction eps"
        + " or v, found none or another name");
    NoiseSchedule.of(schedule, timesteps); // validates the steps
  }

  /**
   * CLDM's process (github.com/guchengzhong/CLDM: linear, T = 1000, epsilon) around
   * {@code unet}.
   */
  public static LdmConfig defaults(UnetConfig unet) {
    return new LdmConfig(unet, NoiseSchedule.Kind.LINEAR, NoiseSchedule.DEFAULT_STEPS,
        Prediction.EPSILON);
  }

  public GaussianDiffusion diffusion() {
    return new GaussianDiffusion(NoiseSchedule.of(schedule, timesteps), prediction);
  }
}
