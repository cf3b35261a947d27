package org.noddildm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.noddildm.core.BadArgumentException;

/**
 * Group normalisation over 3D feature maps (Wu and He 2018, "Group Normalization").
 *
 * <p>The C channels of an input (B, C, D, H, W) are split into G groups; each group of each sample
 * is normalised over its channels and voxels, then scaled and shifted per channel:
 * {@code y = gamma_c (x - mu_g) / sqrt(sigma_g^2 + eps) + beta_c}. Unlike batch norm it does not
 * depend on the batch, which matters for the small batches of 3D training. DJL has no GroupNorm,
 * so it is composed here from differentiable array operations.
 */
public final class GroupNorm3d extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int maxGroups;
  private final float eps;
  private final Parameter gamma;
  private final Parameter beta;

  /** A group norm with at most {@code maxGroups} groups (32 in most diffusion/VQ-GAN code). */
  public GroupNorm3d(int maxGroups) {
    this(maxGroups, 1e-6f);
  }

  public GroupNorm3d(int maxGroups, float eps) {
    super(VERSION);
    BadArgumentException.require(maxGroups >= 1, "groups: expected >= 1, found " + maxGroups);
    this.maxGroups = maxGroups;
    this.eps = eps;
    gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
        .build());
    beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
        .build());
  }

  /** The number of groups for {@code channels}: the largest divisor not above the maximum. */
  public static int groupsFor(int channels, int maxGroups) {
    for (int g = Math.min(channels, maxGroups); g > 1; g--) {
      if (channels % g == 0) {
        return g;
      }
    }
    return 1;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow(); // (B, C, D, H, W)
    Shape shape = x.getShape();
    long b = shape.get(0);
    long c = shape.get(1);
    int groups = groupsFor((int) c, maxGroups);
    long per = shape.size() / (b * groups);
    NDArray g = x.reshape(b, groups, per); // (B, G, C/G * D * H * W)
    // PyTorch's layer norm over each group's values (biased variance, eps inside the root): one
    // fused pass instead of five; the per-channel scale and shift come after it
    NDArray ones = x.getManager().ones(new Shape(per));
    NDArray zeros = x.getManager().zeros(new Shape(per));
    NDArray normed = g.getNDArrayInternal().layerNorm(g, new Shape(per), ones, zeros, (float) eps)
        .singletonOrThrow().reshape(shape);
    NDArray gam = Autograd.scoped(
        ps.getValue(gamma, x.getDevice(), training).reshape(1, c, 1, 1, 1), x);
    NDArray bet = Autograd.scoped(
        ps.getValue(beta, x.getDevice(), training).reshape(1, c, 1, 1, 1), x);
    return new NDList(normed.mul(gam).add(bet));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    BadArgumentException.require(in.dimension() == 5,
        "GroupNorm3d input: expected (B, C, D, H, W), found " + in);
    int c = (int) in.get(1);
    gamma.setShape(new Shape(c));
    beta.setShape(new Shape(c));
  }

  @Override
  public String toString() {
    return "GroupNorm3d(groups<=" + maxGroups + ")";
  }
}
