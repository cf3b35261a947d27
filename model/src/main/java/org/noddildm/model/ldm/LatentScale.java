package org.noddildm.model.ldm;

import java.util.List;

/**
 * The factor that gives training latents unit standard deviation, matching the diffusion's
 * unit-variance noise (Rombach et al. 2022, section 4.3.2), measured once over all training
 * subjects and stored with the model; shared by every kind of latent training pair.
 */
public final class LatentScale {
  private LatentScale() {}

  /** 1 / (standard deviation over all values of {@code arrays}); 1 when they do not vary. */
  public static double toUnitSd(List<float[]> arrays) {
    double sum = 0;
    double sq = 0;
    long n = 0;
    for (float[] a : arrays) {
      for (float f : a) {
        sum += f;
        sq += (double) f * f;
        n++;
      }
    }
    double mean = sum / n;
    double sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
    return 1 / (sd > 1e-8 ? sd : 1.0);
  }

  /** A copy of {@code a} multiplied by {@code s}. */
  public static float[] apply(float[] a, double s) {
    float[] out = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = (float) (a[i] * s);
    }
    return out;
  }
}
