package org.noddildm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Pre-activation residual block for 3D feature maps, as in the VQ-GAN (Esser et al. 2021) and
 * DDPM (Ho et al. 2020) networks:
 * {@code y = skip(x) + conv2(silu(norm2(conv1(silu(norm1(x))))))}, where {@code skip} is the
 * identity when the channel count is unchanged and a 1 x 1 x 1 convolution otherwise; SiLU is
 * DJL's {@code Activation.swish} with beta 1.
 *
 * <p>The U-Net's blocks ({@link #timed}) also take the step embedding emb (B, E) as a second
 * input and add its projection between the two convolutions:
 * <pre>
 *   h = conv1(silu(norm1(x))) + W silu(emb)        (broadcast over D, H, W)
 *   y = skip(x) + conv2(silu(norm2(h)))
 * </pre>
 * The children are norm1, conv1, (time), norm2, conv2, (skip), in that order, which is the
 * order of their weights in a saved model.
 */
public final class ResBlock3d extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int outChannels;
  private final Block norm1;
  private final Block conv1;
  private final Block timeProj;
  private final Block norm2;
  private final Block conv2;
  private final Block skip;

  /** A block mapping {@code inChannels} to {@code outChannels}. */
  public ResBlock3d(int inChannels, int outChannels, int maxGroups) {
    this(inChannels, outChannels, maxGroups, false);
  }

  private ResBlock3d(int inChannels, int outChannels, int maxGroups, boolean time) {
    super(VERSION);
    this.outChannels = outChannels;
    norm1 = addChildBlock("norm1", new GroupNorm3d(maxGroups));
    conv1 = addChildBlock("conv1", Convs.same(outChannels, 3));
    timeProj = time ? addChildBlock("time", Linear.builder().setUnits(outChannels).build())
        : null;
    norm2 = addChildBlock("norm2", new GroupNorm3d(maxGroups));
    conv2 = addChildBlock("conv2", Convs.same(outChannels, 3));
    skip = inChannels == outChannels ? null : addChildBlock("skip", Convs.same(outChannels, 1));
  }

  /** A block that also takes the step embedding (B, E) as its second input. */
  public static ResBlock3d timed(int inChannels, int outChannels, int maxGroups) {
    return new ResBlock3d(inChannels, outChannels, maxGroups, true);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0); // (B, Cin, D, H, W)
    NDArray h = norm1.forward(ps, new NDList(x), training).singletonOrThrow();
    // (B, Cout, ...)
    h = conv1.forward(ps, new NDList(SiLU.apply(h)), training).singletonOrThrow();
    if (timeProj != null) {
      NDArray emb = inputs.get(1); // (B, E)
      NDArray tp = timeProj.forward(ps, new NDList(SiLU.apply(emb)), training)
          .singletonOrThrow();
      h = h.add(tp.reshape(tp.getShape().get(0), outChannels, 1, 1, 1));
    }
    h = norm2.forward(ps, new NDList(h), training).singletonOrThrow();
    h = conv2.forward(ps, new NDList(SiLU.apply(h)), training).singletonOrThrow();
    NDArray s = skip == null ? x : skip.forward(ps, new NDList(x), training).singletonOrThrow();
    return new NDList(s.add(h));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape in = inputs[0];
    if (skip != null) {
      skip.initialize(manager, dataType, in);
    }
    norm1.initialize(manager, dataType, in);
    conv1.initialize(manager, dataType, in);
    if (timeProj != null) {
      timeProj.initialize(manager, dataType, inputs[1]);
    }
    Shape mid = conv1.getOutputShapes(new Shape[] {in})[0];
    norm2.initialize(manager, dataType, mid);
    conv2.initialize(manager, dataType, mid);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape in = inputs[0];
    return new Shape[] {new Shape(in.get(0), outChannels, in.get(2), in.get(3), in.get(4))};
  }
}
