package org.noddildm.model.residual;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.ldm.LatentPair;
import org.noddildm.model.ldm.LatentScale;

/**
 * Training pairs of the residual diffusion model ({@link ResidualDiffusion}): x_0 is the latent
 * residual E(target) - E(refined) ({@link ResidualExample#target}), the condition is E(refined)
 * (and the classic features, when asked); both latents are scaled to unit standard deviation over
 * the training subjects ({@link LatentScale}), the residual per group of channels ({@link
 * LatentCoder#scaleGroups}: per map in the sub-voxel latent, so that NDI's residuals, the
 * smallest, weigh as much in the loss as FWF's); the features are already about 0..1.
 *
 * @param pairs one pair per subject, scaled
 * @param latentScales the factors applied to residual latents, one per group of channels
 * @param condScale the factor applied to the condition
 */
public record ResidualLatents(List<LatentPair> pairs, double[] latentScales, double condScale) {

  /** The key of the residual latents' scales in a run's "data" entry (one per group). */
  public static final String SCALES = "latentScales";

  /**
   * The residual latents' scales of a run's "data" entry: {@value #SCALES}, or the single
   * {@code latentScale} of runs from before per-group scales.
   */
  public static double[] scales(JsonObject data) {
    if (data.has(SCALES)) {
      JsonArray a = data.getAsJsonArray(SCALES);
      double[] s = new double[a.size()];
      for (int i = 0; i < s.length; i++) {
        s[i] = a.get(i).getAsDouble();
      }
      return s;
    }
    return new double[] {data.get("latentScale").getAsDouble()};
  }

  /** Stores {@code scales} in a run's "data" entry {@code data}. */
  public static void putScales(JsonObject data, double[] scales) {
    JsonArray a = new JsonArray();
    for (double v : scales) {
      a.add(v);
    }
    data.add(SCALES, a);
  }

  /**
   * Encodes every example; with {@code latentScales} null or {@code condScale} not positive,
   * the scale is measured on these examples (a new run); pass the stored scales otherwise.
   * The residual is taken towards {@code target} ({@link ResidualExample#target}).
   */
  public static ResidualLatents encode(List<ResidualExample> examples, LatentCoder coder,
      int multiple, NDManager manager, double[] latentScales, double condScale, boolean classic,
      ResidualExample.Target target) {
    BadArgumentException.require(!examples.isEmpty(), "residual latents: expected examples,"
        + " found none");
    List<float[][]> raw = new ArrayList<>();
    List<Volume> grids = new ArrayList<>();
    List<int[]> sizes = new ArrayList<>();
    int f = coder.factor();
    for (ResidualExample e : examples) {
      int[] n = ResidualDiffusion.latentSize(e.refined().grid(), f, multiple);
      sizes.add(n);
      Volume zr = coder.encode(e.refined(), n, manager);
      Volume zt = coder.encode(e.target(target), n, manager);
      float[] x0 = zt.data().clone();
      float[] r = zr.data();
      for (int i = 0; i < x0.length; i++) {
        x0[i] -= r[i];
      }
      raw.add(new float[][] {x0, r});
      grids.add(zr);
    }
    int groups = latentScales != null ? latentScales.length : coder.scaleGroups();
    int perGroup = coder.channels() / groups;
    BadArgumentException.require(groups >= 1 && perGroup * groups == coder.channels(),
        "residual latent scales: expected a number that divides " + coder.channels()
            + " channels, found " + groups);
    double[] ls = latentScales != null ? latentScales.clone() : new double[groups];
    if (latentScales == null) {
      for (int g = 0; g < groups; g++) {
        int from = g * perGroup;
        ls[g] = LatentScale.toUnitSd(raw.stream().map(r -> channels(r[0], coder.channels(),
            from, perGroup)).toList());
      }
    }
    double cs = condScale > 0 ? condScale
        : LatentScale.toUnitSd(raw.stream().map(r -> r[1]).toList());
    List<LatentPair> pairs = new ArrayList<>();
    int cc = ResidualDiffusion.condChannels(coder.channels(), classic);
    for (int k = 0; k < raw.size(); k++) {
      Volume g = grids.get(k);
      ResidualExample e = examples.get(k);
      float[] cond = ResidualDiffusion.condition(g, cs, classic ? e.features() : null,
          e.refined().grid(), f, sizes.get(k));
      pairs.add(new LatentPair(applyScales(raw.get(k)[0], ls), g.nt(), cond, cc, g.nz(),
          g.ny(), g.nx()));
    }
    return new ResidualLatents(pairs, ls, cs);
  }

  /** Channels {@code from} .. {@code from + count - 1} of a (C, ...) array of C channels. */
  static float[] channels(float[] a, int c, int from, int count) {
    int n = a.length / c;
    float[] out = new float[count * n];
    System.arraycopy(a, from * n, out, 0, count * n);
    return out;
  }

  /** A copy of the (C, ...) array {@code a} with channel group g multiplied by {@code s[g]}. */
  public static float[] applyScales(float[] a, double[] s) {
    return scaled(a, s, false);
  }

  /** A copy of the (C, ...) array {@code a} with channel group g divided by {@code s[g]}. */
  public static float[] removeScales(float[] a, double[] s) {
    return scaled(a, s, true);
  }

  private static float[] scaled(float[] a, double[] s, boolean divide) {
    float[] out = new float[a.length];
    int n = a.length / s.length;
    for (int g = 0; g < s.length; g++) {
      double f = divide ? 1 / s[g] : s[g];
      for (int i = g * n; i < (g + 1) * n; i++) {
        out[i] = (float) (a[i] * f);
      }
    }
    return out;
  }
}
