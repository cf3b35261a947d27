package org.noddildm.model.residual;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.metrics.LocalSpread;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.GaussianNoise;
import org.noddildm.model.diffusion.Sampler;
import org.noddildm.model.ldm.ConditionalGenerator;
import org.noddildm.model.ldm.LatentScale;
import org.noddildm.model.ldm.SampleMoments;
import org.noddildm.model.ldm.TiledSampler;
import org.noddildm.model.unet.Unet3d;

/**
 * The latent diffusion model built on the refiner: it samples what the refiner's maps miss, in
 * a latent space ({@link LatentCoder}: the NODDI VQ-GAN's, or the lossless sub-voxel latent),
 * and adds it to them. With r the refiner's maps (0 outside the brain), E and D the latent's
 * encoder and decoder (continuous, no quantization):
 * <pre>
 *   z_r = E(r)                                     the condition (times condScale), with the
 *                                                  classic estimate's features when the model
 *                                                  was trained on them ({@link #CONDITION_CLASSIC})
 *   delta ~ p_theta(delta | z_r)                   DDIM on x_0 = (E(target) - E(r)) * latentScales,
 *                                                  one scale per group of channels
 *   y = r + D(z_r + delta / latentScale) - D(z_r)
 * </pre>
 * The difference of two decodings cancels the autoencoder's own reconstruction error, so a
 * sample with delta = 0 returns the refiner's maps exactly, and the diffusion model can only
 * move them where it learned that the refiner is wrong; the spread of y over samples is the
 * uncertainty map. This follows the residual idea of ResShift (Yue et al. 2023) in latent
 * space, on top of an anchored regression instead of a bicubic upsampling.
 */
public final class ResidualDiffusion {
  /**
   * Whether {@code condition}, the value of {@code data.condition} in an LDM's model.json, names
   * a diffusion model built on the refiner, and with which condition: null when it does not.
   */
  public static Boolean classicCondition(String condition) {
    return CONDITION.equals(condition) ? Boolean.FALSE
        : CONDITION_CLASSIC.equals(condition) ? Boolean.TRUE : null;
  }

  /** The value of {@code data.condition} in the model.json of a model conditioned on E(r). */
  public static final String CONDITION = "refiner";
  /**
   * The value of {@code data.condition} of a model conditioned on E(r) and on the classic
   * estimate's {@value ClassicEstimate#CHANNELS} features (the fit, DTI, S0 and shell means on
   * the scan's grid, which is the latent grid when the refiner's factor is the VQ-GAN's): what
   * the refiner's maps alone cannot say, such as how noisy the scan was.
   */
  public static final String CONDITION_CLASSIC = "refiner+classic";

  private final LatentCoder coder;
  private final TiledSampler tiles;
  private final double[] latentScales;
  private final double condScale;
  private final boolean classic;

  /**
   * @param classic whether the condition holds the classic features ({@link
   *     #CONDITION_CLASSIC}) besides E(r)
   */
  public ResidualDiffusion(LatentCoder coder, Unet3d net, double[] latentScales,
      double condScale, boolean classic, NDManager manager) {
    BadArgumentException.require(java.util.Arrays.stream(latentScales).allMatch(v -> v > 0)
        && condScale > 0, "latent scales: expected positive, found "
        + java.util.Arrays.toString(latentScales) + ", " + condScale);
    int c = coder.channels();
    BadArgumentException.require(latentScales.length >= 1 && c % latentScales.length == 0,
        "latent scales: expected a number that divides " + c + " channels, found "
        + latentScales.length);
    int cc = condChannels(c, classic);
    BadArgumentException.require(net.config().channels() == c
        && net.config().condChannels() == cc, "residual LDM: expected " + c + " + " + cc
        + " latent channels (the " + coder.kind() + " latent's"
        + (classic ? " and the classic features" : "")
        + "), found " + net.config().channels() + " + " + net.config().condChannels());
    this.coder = coder;
    this.tiles = new TiledSampler(net, manager);
    this.latentScales = latentScales.clone();
    this.condScale = condScale;
    this.classic = classic;
  }

  /** Whether the model's condition holds the classic features. */
  public boolean usesClassic() {
    return classic;
  }

  /** Channels of the condition: E(r)'s {@code latentDim}, and the classic features. */
  static int condChannels(int latentDim, boolean classic) {
    return latentDim + (classic ? ClassicEstimate.CHANNELS : 0);
  }

  /**
   * The condition on the latent grid of size {@code n}: E(r) times {@code condScale}, then (when
   * {@code features} is not null) the classic features, zero-padded at the end like the maps.
   * The features' grid must be the latent grid before padding, i.e. the high-res grid over the
   * latent's factor.
   */
  static float[] condition(Volume zr, double condScale, Volume features, Grid hi, int f,
      int[] n) {
    float[] scaled = LatentScale.apply(zr.data(), condScale);
    if (features == null) {
      return scaled;
    }
    BadArgumentException.require(features.nt() == ClassicEstimate.CHANNELS
        && features.nx() * f == hi.nx() && features.ny() * f == hi.ny()
        && features.nz() * f == hi.nz(), "classic features: expected " + ClassicEstimate.CHANNELS
        + " volumes on the maps' grid over " + f + " (the refiner's factor must be the latent's),"
        + " found " + features.nt() + " volumes of " + features.grid().shape() + " for maps of "
        + hi.shape());
    float[] padded = VolumeOps.cropOrPad(features, 0, 0, 0, n[0], n[1], n[2], 0f).data();
    float[] cond = new float[scaled.length + padded.length];
    System.arraycopy(scaled, 0, cond, 0, scaled.length);
    System.arraycopy(padded, 0, cond, scaled.length, padded.length);
    return cond;
  }

  /**
   * Batched denoiser calls over all tiles of the whole latent, for a progress bar: the samples
   * go through the denoiser together ({@link TiledSampler#sampleTogether}), and the posterior
   * mean comes from their first step. With a brain, {@link #generate} makes fewer calls and
   * scales its progress to this total.
   */
  public long totalSteps(Grid hiGrid, Sampler sampler, int tile, int overlap) {
    return tiles.steps(tiles.tiling(latentSize(hiGrid), tile, overlap, null), sampler);
  }

  /**
   * Samples maps around the refiner's {@code refined} maps (3 volumes on the high-res grid, 0
   * outside the brain). With one sample, the maps are that sample (a draw from the model's
   * posterior) and the center is the posterior-mean estimate of the same walk (its first x_0
   * estimate), around which a calibration may scale the sample's deviation. With more, the
   * maps are the posterior-mean estimate ({@link #POSTERIOR_MEAN}) and the sd is the spread of
   * the samples, pooled over each voxel's neighbours ({@link #POOLING}); a plain mean of N samples would carry 1/N of their variance as error (about 1 dB
   * at N = 4), the posterior mean does not. Maps are clipped to [0, 1]. {@code features} are
   * the classic estimate the refiner was given (its {@link ClassicEstimate#features}, on the
   * scan's grid); a model conditioned on them needs them, the others ignore them. With a
   * {@code brain} (on the maps' grid; null = everywhere), the denoiser only sees the tiles that
   * hold some of it ({@link TiledSampler#tiling}), and the maps elsewhere are the refiner's.
   */
  public ConditionalGenerator.Maps generate(Volume refined, Volume features, Mask brain,
      Sampler sampler, int samples, long seed, int tile, int overlap, IntConsumer progress,
      NDManager manager) {
    BadArgumentException.require(samples >= 1, "samples: expected >= 1, found " + samples);
    BadArgumentException.require(brain == null || brain.grid().sameSize(refined.grid()),
        "brain: expected the maps' grid " + refined.grid().shape() + ", found "
        + (brain == null ? "" : brain.grid().shape()));
    BadArgumentException.require(sampler.timesteps()[0]
        == sampler.diffusion().schedule().steps() - 1, "sampler: expected a walk that starts at"
        + " the last training step (its first x0 estimates are the posterior mean)");
    Anchor a = anchor(refined, features, manager);
    TiledSampler.Tiling tiling = tiles.tiling(a.n(), tile, overlap, latentBrain(brain, a.n()));
    IntConsumer p = scaled(progress, tiles.steps(tiling, sampler),
        totalSteps(refined.grid(), sampler, tile, overlap));
    SampleMoments moments = new SampleMoments(a.base().length);
    TiledSampler.Draws draws = tiles.sampleTogether(a.cond(), a.cc(), tiling, samples, sampler,
        new SplittableRandom(seed), p, manager);
    for (float[] z : draws.samples()) {
      moments.add(a.shifted(refined, ResidualLatents.removeScales(z, latentScales), manager));
    }
    Grid hi = refined.grid();
    Volume center = new Volume(hi, 3, clipped(a.shifted(refined, ResidualLatents.removeScales(
        draws.meanX0AtStart(), latentScales), manager)));
    Volume sd = new Volume(hi, 3, moments.std());
    if (samples > 1) {
      return new ConditionalGenerator.Maps(center, LocalSpread.pooled(sd, brain, POOLING),
          samples);
    }
    return new ConditionalGenerator.Maps(new Volume(hi, 3, clipped(moments.mean())), sd, 1,
        center);
  }

  /**
   * The neighbourhood (voxels a side) over which the samples' variance is pooled ({@link
   * LocalSpread}): 4 samples give each voxel an sd with 3 degrees of freedom. On the
   * calibration subjects (seed 21; a script pooling the written sd) pooling over 3^3 raised the
   * rank correlation of the sd with the point estimate's error from 0.08 / 0.04 / 0.24 (NDI /
   * ODI / FWF) to 0.20 / 0.10 / 0.34; 5^3 gave 0.21 / 0.12 / 0.33, with more blur.
   */
  public static final int POOLING = 3;

  /** {@code progress} told {@code total} units when {@code calls} calls are done, in step. */
  private static IntConsumer scaled(IntConsumer progress, long calls, long total) {
    if (progress == null) {
      return null;
    }
    return k -> progress.accept((int) (calls == 0 ? total : k * total / calls));
  }

  /**
   * The latent voxels (on the latent grid of size {@code n}, x fastest) whose block of the
   * high-res grid holds some of {@code brain}; null for null.
   */
  boolean[] latentBrain(Mask brain, int[] n) {
    if (brain == null) {
      return null;
    }
    Grid g = brain.grid();
    int f = coder.factor();
    boolean[] out = new boolean[n[0] * n[1] * n[2]];
    int i = 0;
    for (int z = 0; z < g.nz(); z++) {
      for (int y = 0; y < g.ny(); y++) {
        for (int x = 0; x < g.nx(); x++, i++) {
          if (brain.contains(i)) {
            out[((z / f) * n[1] + y / f) * n[0] + x / f] = true;
          }
        }
      }
    }
    return out;
  }

  /**
   * What the denoiser makes of this subject's own residual: x_0 = (E(target) - E(r)) scaled,
   * noised to step {@code t} with noise from {@code seed}, and the denoiser's estimate of x_0
   * from it, decoded onto the refined maps as {@link #generate} decodes a sample. At t = T - 1
   * the noise hides x_0, so this is one draw of the posterior mean; at small t it shows how well
   * the model restores a residual it nearly sees. Scored against the truth it says where in the
   * chain the model beats the refiner (0 residual) and where it adds error. Clipped to [0, 1]
   * like the point estimate. {@code target} is
   * what the model was trained towards ({@link ResidualExample#target}).
   */
  public Volume denoisedAt(Volume refined, Volume features, Volume target,
      GaussianDiffusion diffusion, int t, long seed, int tile, int overlap, NDManager manager) {
    int total = diffusion.schedule().steps();
    BadArgumentException.require(t >= 0 && t < total, "step: expected 0.." + (total - 1)
        + ", found " + t);
    Anchor a = anchor(refined, features, manager);
    float[] x0 = coder.encode(target, a.n(), manager).data();
    for (int i = 0; i < x0.length; i++) {
      x0[i] -= a.zr().data()[i];
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] xt;
    try (NDManager sm = manager.newSubManager()) {
      Shape shape = new Shape(1, x0.length);
      xt = diffusion.qSample(sm.create(ResidualLatents.applyScales(x0, latentScales), shape),
          new int[] {t}, GaussianNoise.gaussian(sm, shape, rng)).toFloatArray();
    }
    Sampler jump = new Sampler(diffusion) {
      @Override
      public int[] timesteps() {
        return new int[] {t};
      }

      @Override
      public NDArray step(NDArray x, GaussianDiffusion.Estimate est, int from, int prev,
          SplittableRandom r) {
        return est.x0();
      }
    };
    float[] z = tiles.walkTogether(a.cond(), a.cc(), tiles.tiling(a.n(), tile, overlap, null),
        new float[][] {xt}, jump, rng, null, manager).samples()[0];
    return new Volume(refined.grid(), 3, clipped(a.shifted(refined,
        ResidualLatents.removeScales(z, latentScales), manager)));
  }

  /**
   * What both {@link #generate} and {@link #denoisedAt} build from the refined maps: the latent
   * grid size {@code n}, z_r = E(r), the condition ({@code cc} channels) and D(z_r).
   */
  private record Anchor(int[] n, Volume zr, float[] cond, int cc, float[] base,
      LatentCoder coder) {
    /** r + D(z_r + delta) - D(z_r) for an unscaled latent residual {@code delta}. */
    float[] shifted(Volume refined, float[] delta, NDManager manager) {
      return coder.shifted(refined, zr, delta, base, manager);
    }
  }

  private Anchor anchor(Volume refined, Volume features, NDManager manager) {
    BadArgumentException.require(!classic || features != null, "residual LDM: this model is"
        + " conditioned on the classic features, found none");
    BadArgumentException.require(refined.nt() == 3, "refined maps: expected 3 volumes, found "
        + refined.nt());
    Grid hi = refined.grid();
    int[] n = latentSize(hi);
    Volume zr = coder.encode(refined, n, manager);
    return new Anchor(n, zr, condition(zr, condScale, classic ? features : null, hi,
        coder.factor(), n), condChannels(zr.nt(), classic), coder.decode(zr, hi, manager), coder);
  }

  /** {@code maps} clipped to [0, 1] in place, as the maps are written. */
  private static float[] clipped(float[] maps) {
    for (int i = 0; i < maps.length; i++) {
      maps[i] = Math.max(0f, Math.min(1f, maps[i]));
    }
    return maps;
  }

  /**
   * The posterior-mean estimate of the residual latent, as {@link #generate} makes it for more
   * than one sample: the denoiser's own prediction of x_0 from pure noise at the first DDIM
   * step (t = T - 1, where x_t carries almost nothing of x_0, so the prediction is E[x_0 |
   * condition] of the MSE-trained network), averaged over the samples' starting noises.
   */
  public static final String POSTERIOR_MEAN = "the posterior mean: x0 as the denoiser predicts"
      + " it from pure noise at the first DDIM step (t = T - 1), averaged over the samples'"
      + " starting noises";

  /** The latent grid size (x, y, z) for {@code hi}, padded to the sizes the nets need. */
  int[] latentSize(Grid hi) {
    return latentSize(hi, coder.factor(), tiles.sizeMultiple());
  }

  /** The latent grid size for {@code hi} at factor {@code f}, padded to a multiple. */
  public static int[] latentSize(Grid hi, int f, int multiple) {
    int q = f * multiple;
    return new int[] {(hi.nx() + q - 1) / q * multiple, (hi.ny() + q - 1) / q * multiple,
        (hi.nz() + q - 1) / q * multiple};
  }
}
