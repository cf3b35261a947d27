package org.noddildm.model.residual;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.ldm.LatentPair;
import org.noddildm.model.ldm.LatentScale;

/**
 * Training pairs of the residual diffusion model ({@link ResidualDiffusion}): x_0 is the latent
 * residual E(truth) - E(refined), the condition is E(refined) (and the classic features, when
 * asked); both latents are scaled to unit standard deviation over the training subjects
 * ({@link LatentScale}); the features are already about 0..1.
 *
 * @param pairs one pair per subject, scaled
 * @param latentScale the factor applied to residual latents
 * @param condScale the factor applied to the condition
 */
public record ResidualLatents(List<LatentPair> pairs, double latentScale, double condScale) {

  /**
   * Encodes every example; with {@code latentScale} or {@code condScale} not positive, the scale
   * is measured on these examples (a new run); pass the stored scales otherwise.
   */
  public static ResidualLatents encode(List<ResidualExample> examples, LatentCoder coder,
      int multiple,
      NDManager manager, double latentScale, double condScale, boolean classic) {
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
      Volume zt = coder.encode(e.truth(), n, manager);
      float[] x0 = zt.data().clone();
      float[] r = zr.data();
      for (int i = 0; i < x0.length; i++) {
        x0[i] -= r[i];
      }
      raw.add(new float[][] {x0, r});
      grids.add(zr);
    }
    double ls = latentScale > 0 ? latentScale
        : LatentScale.toUnitSd(raw.stream().map(r -> r[0]).toList());
    double cs = condScale > 0 ? condScale
        : LatentScale.toUnitSd(raw.stream().map(r -> r[1]).toList());
    List<LatentPair> pairs = new ArrayList<>();
    int cc = ResidualDiffusion.condChannels(coder.channels(), classic);
    for (int k = 0; k < raw.size(); k++) {
      Volume g = grids.get(k);
      ResidualExample e = examples.get(k);
      float[] cond = ResidualDiffusion.condition(g, cs, classic ? e.features() : null,
          e.refined().grid(), f, sizes.get(k));
      pairs.add(new LatentPair(LatentScale.apply(raw.get(k)[0], ls), g.nt(), cond, cc, g.nz(),
          g.ny(), g.nx()));
    }
    return new ResidualLatents(pairs, ls, cs);
  }
}
