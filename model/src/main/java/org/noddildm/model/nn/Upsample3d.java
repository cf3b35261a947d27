package org.noddildm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Doubles each spatial size: nearest-neighbour x2 followed by a 3 x 3 x 3 convolution
 * (DJL has no 3D transposed convolution; nearest + conv also avoids checkerboard artefacts,
 * Odena et al. 2016).
 */
public final class Upsample3d extends AbstractBlock {
  private static final byte VERSION = 1;
  private final Block conv;

  public Upsample3d(int channels) {
    super(VERSION);
    conv = addChildBlock("conv", Convs.same(channels, 3));
  }

  /** Nearest-neighbour x2 along D, H and W: (B, C, D, H, W) to (B, C, 2D, 2H, 2W). */
  public static NDArray nearest2x(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long d = s.get(2);
    long h = s.get(3);
    long w = s.get(4);
    return x.reshape(b, c, d, 1, h, 1, w, 1)
        .broadcast(b, c, d, 2, h, 2, w, 2)
        .reshape(b, c, 2 * d, 2 * h, 2 * w);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return conv.forward(ps, new NDList(nearest2x(inputs.singletonOrThrow())), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    conv.initialize(manager, dataType, up(inputs[0]));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return conv.getOutputShapes(new Shape[] {up(inputs[0])});
  }

  private static Shape up(Shape s) {
    return new Shape(s.get(0), s.get(1), 2 * s.get(2), 2 * s.get(3), 2 * s.get(4));
  }
}
