package org.noddildm.model.diffusion;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;

/**
 * The variance schedule of a DDPM (Ho et al. 2020, "Denoising Diffusion Probabilistic Models"),
 * computed once in double precision and kept under the paper's names.
 *
 * <p>Steps are indexed {@code t = 0 .. T-1} (the paper's {@code t = 1 .. T}). With
 * {@code alpha_t = 1 - beta_t} and {@code abar_t = prod_{s<=t} alpha_s}:
 * <pre>
 *   q(x_t | x_0)        = N(sqrt(abar_t) x_0, (1 - abar_t) I)
 *   q(x_{t-1} | x_t, x_0) = N(mu~_t, beta~_t I),
 *   mu~_t   = sqrt(abar_{t-1}) beta_t / (1 - abar_t) x_0 + sqrt(alpha_t) (1 - abar_{t-1}) / (1 - abar_t) x_t
 *   beta~_t = (1 - abar_{t-1}) / (1 - abar_t) beta_t            (abar_{-1} = 1, so beta~_0 = 0)
 * </pre>
 * Two schedules: {@link #linear} (DDPM: beta from 1e-4 to 0.02 over T = 1000) and
 * {@link #cosine} (Nichol and Dhariwal 2021, "Improved DDPM":
 * {@code abar(t) = f(t)/f(0)}, {@code f(t) = cos^2((t/T + s)/(1 + s) pi/2)}, s = 0.008, betas
 * clipped at 0.999).
 */
public final class NoiseSchedule {
  /** The number of steps of CLDM (github.com/guchengzhong/CLDM). */
  public static final int DEFAULT_STEPS = 1000;

  private final String name;
  private final double[] betas;
  private final double[] alphas;
  private final double[] alphasCumprod;
  private final double[] alphasCumprodPrev;
  private final double[] sqrtAlphasCumprod;
  private final double[] sqrtOneMinusAlphasCumprod;
  private final double[] posteriorVariance;
  private final double[] posteriorMeanCoef1;
  private final double[] posteriorMeanCoef2;

  /** A schedule from its betas, each in (0, 1); {@code name} is recorded in checkpoints. */
  public NoiseSchedule(String name, double[] betas) {
    BadArgumentException.require(betas != null && betas.length >= 1,
        "noise schedule: expected at least one beta, found none");
    int n = betas.length;
    this.name = name;
    this.betas = betas.clone();
    alphas = new double[n];
    alphasCumprod = new double[n];
    alphasCumprodPrev = new double[n];
    sqrtAlphasCumprod = new double[n];
    sqrtOneMinusAlphasCumprod = new double[n];
    posteriorVariance = new double[n];
    posteriorMeanCoef1 = new double[n];
    posteriorMeanCoef2 = new double[n];
    double abar = 1.0;
    for (int t = 0; t < n; t++) {
      double b = betas[t];
      BadArgumentException.require(b > 0 && b < 1, "noise schedule: expected beta_" + t
          + " in (0, 1), found " + b);
      alphas[t] = 1 - b;
      alphasCumprodPrev[t] = abar;
      abar *= alphas[t];
      alphasCumprod[t] = abar;
      sqrtAlphasCumprod[t] = Math.sqrt(abar);
      sqrtOneMinusAlphasCumprod[t] = Math.sqrt(1 - abar);
      double prev = alphasCumprodPrev[t];
      posteriorVariance[t] = b * (1 - prev) / (1 - abar);
      posteriorMeanCoef1[t] = b * Math.sqrt(prev) / (1 - abar);
      posteriorMeanCoef2[t] = (1 - prev) * Math.sqrt(alphas[t]) / (1 - abar);
    }
  }

  /** DDPM's linear schedule: {@code beta_t = betaStart + (betaEnd - betaStart) t / (T - 1)}. */
  public static NoiseSchedule linear(int steps, double betaStart, double betaEnd) {
    requireSteps(steps);
    double[] b = new double[steps];
    for (int t = 0; t < steps; t++) {
      b[t] = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * t / (steps - 1);
    }
    return new NoiseSchedule("linear", b);
  }

  /** The linear schedule of CLDM (github.com/guchengzhong/CLDM): T = 1000, beta 1e-4 .. 0.02. */
  public static NoiseSchedule linear() {
    return linear(DEFAULT_STEPS, 1e-4, 0.02);
  }

  /** The cosine schedule with offset {@code s} (0.008 in Nichol and Dhariwal). */
  public static NoiseSchedule cosine(int steps, double s) {
    requireSteps(steps);
    double[] b = new double[steps];
    for (int t = 0; t < steps; t++) {
      b[t] = Math.min(1 - cosineF(t + 1, steps, s) / cosineF(t, steps, s), 0.999);
    }
    return new NoiseSchedule("cosine", b);
  }

  /** {@code f(t) = cos^2((t/T + s)/(1 + s) pi/2)}, so that {@code abar_t = f(t+1)/f(0)}. */
  static double cosineF(double t, int steps, double s) {
    double c = Math.cos((t / steps + s) / (1 + s) * Math.PI / 2);
    return c * c;
  }

  /** The two schedules by name; stored in model.json as "linear" and "cosine". */
  public enum Kind {
    @SerializedName("linear") LINEAR,
    @SerializedName("cosine") COSINE;

    /** "linear" or "cosine", any case. */
    public static Kind parse(String s) {
      String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
      return switch (k) {
        case "linear" -> LINEAR;
        case "cosine" -> COSINE;
        default -> throw new BadArgumentException("noise schedule: expected linear or cosine,"
            + " found " + s);
      };
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The schedule of {@code kind} with {@code steps} steps and the papers' constants. */
  public static NoiseSchedule of(Kind kind, int steps) {
    return switch (kind) {
      case LINEAR -> linear(steps, 1e-4, 0.02);
      case COSINE -> cosine(steps, 0.008);
    };
  }

  private static void requireSteps(int steps) {
    BadArgumentException.require(steps >= 1, "noise schedule: expected >= 1 steps, found "
        + steps);
  }

  public String name() {
    return name;
  }

  /** T, the number of steps. */
  public int steps() {
    return betas.length;
  }

  public double beta(int t) {
    return betas[check(t)];
  }

  public double alpha(int t) {
    return alphas[check(t)];
  }

  /** {@code abar_t}; {@code abar_{-1} = 1} (no noise) is allowed as the end of sampling. */
  public double alphaCumprod(int t) {
    return t == -1 ? 1.0 : alphasCumprod[check(t)];
  }

  /** {@code abar_{t-1}} (1 for t = 0). */
  public double alphaCumprodPrev(int t) {
    return alphasCumprodPrev[check(t)];
  }

  public double sqrtAlphaCumprod(int t) {
    return sqrtAlphasCumprod[check(t)];
  }

  public double sqrtOneMinusAlphaCumprod(int t) {
    return sqrtOneMinusAlphasCumprod[check(t)];
  }

  /** {@code beta~_t}, the variance of q(x_{t-1} | x_t, x_0). */
  public double posteriorVariance(int t) {
    return posteriorVariance[check(t)];
  }

  /** The coefficient of x_0 in the posterior mean. */
  public double posteriorMeanCoef1(int t) {
    return posteriorMeanCoef1[check(t)];
  }

  /** The coefficient of x_t in the posterior mean. */
  public double posteriorMeanCoef2(int t) {
    return posteriorMeanCoef2[check(t)];
  }

  public double[] betas() {
    return betas.clone();
  }

  public double[] alphasCumprod() {
    return alphasCumprod.clone();
  }

  private int check(int t) {
    if (t < 0 || t >= betas.length) {
      throw new BadArgumentException("diffusion step: expected 0.." + (betas.length - 1)
          + ", found " + t);
    }
    return t;
  }

  @Override
  public String toString() {
    return "NoiseSchedule[" + name + ", T=" + betas.length + "]";
  }
}
