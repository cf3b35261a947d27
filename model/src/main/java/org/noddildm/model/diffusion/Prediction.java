package org.noddildm.model.diffusion;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;

/**
 * What the denoiser is trained to output.
 *
 * <ul>
 *   <li>{@link #EPSILON}: the noise, {@code eps} (Ho et al. 2020), as in CLDM
 *       (github.com/guchengzhong/CLDM);
 *   <li>{@link #V}: the velocity {@code v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0}
 *       (Salimans and Ho 2022, "Progressive Distillation"), better behaved near t = T.
 * </ul>
 */
public enum Prediction {
  /** Stored in model.json as "eps". */
  @SerializedName(value = "eps", alternate = "epsilon") EPSILON,
  /** Stored in model.json as "v". */
  @SerializedName("v") V;

  public static Prediction parse(String s) {
    String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    return switch (k) {
      case "eps", "epsilon" -> EPSILON;
      case "v" -> V;
      default -> throw new BadArgumentException("prediction: expected eps or v, found " + s);
    };
  }

  public String label() {
    return this == EPSILON ? "eps" : "v";
  }
}
