package org.noddildm.model.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.noddildm.core.BadArgumentException;

/**
 * Test helper: several samples for one condition, summarised voxel by voxel (prediction uses
 * the tiled {@code org.noddildm.model.ldm.SampleMoments}): the mean and the standard
 * deviation over samples, an uncertainty map CLDM (github.com/guchengzhong/CLDM) does not offer.
 * <pre>
 *   mean = (1/N) sum_i y_i,   std = sqrt((1/N) sum_i (y_i - mean)^2)   (population std; 0 if N = 1)
 * </pre>
 * Each sample i uses its own generator {@code SplittableRandom(seed).split()} in order, so the
 * set depends only on the seed and N.
 *
 * @param mean per-voxel mean of the samples, owned by the condition's manager
 * @param std per-voxel standard deviation, owned by the condition's manager
 * @param count number of samples N
 */
public record SampleSet(NDArray mean, NDArray std, int count) {

  /**
   * Draws {@code n} samples with {@code sampler} and reduces them after mapping each through
   * {@code decode} (e.g. quantize and decode a latent into NODDI maps; identity for latents).
   * {@code progress} receives the number of sampling steps done over all samples.
   */
  public static SampleSet draw(Sampler sampler, Denoiser net, NDArray cond, Shape latentShape,
      int n, long seed, Function<NDArray, NDArray> decode, IntConsumer progress) {
    BadArgumentException.require(n >= 1, "samples: expected >= 1, found " + n);
    NDManager parent = cond.getManager();
    SplittableRandom root = new SplittableRandom(seed);
    int perSample = sampler.timesteps().length;
    NDArray sum = null;
    NDArray sumSq = null;
    for (int i = 0; i < n; i++) {
      SplittableRandom rng = root.split();
      int done = i * perSample;
      try (NDManager sm = parent.newSubManager()) {
        NDArray c = cond.duplicate();
        c.attach(sm);
        NDArray z = sampler.sample(net, c, latentShape, rng,
            progress == null ? null : k -> progress.accept(done + k));
        NDArray y = decode.apply(z);
        NDArray ySq = y.square();
        if (sum == null) {
          sum = y.duplicate();
          sumSq = ySq.duplicate();
          sum.attach(parent);
          sumSq.attach(parent);
        } else {
          sum.addi(y);
          sumSq.addi(ySq);
        }
      }
    }
    NDArray mean = sum.div(n);
    NDArray var = sumSq.div(n).sub(mean.square()).maximum(0f);
    NDArray std = var.sqrt();
    sum.close();
    sumSq.close();
    var.close();
    return new SampleSet(mean, std, n);
  }
}
