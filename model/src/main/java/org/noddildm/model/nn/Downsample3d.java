package org.noddildm.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Halves each spatial size with a 3 x 3 x 3 convolution of stride 2 and padding 1:
 * (B, C, D, H, W) to (B, C, D/2, H/2, W/2) for even sizes.
 */
public final class Downsample3d extends AbstractBlock {
  private static final byte VERSION = 1;
  private final Block conv;

  public Downsample3d(int channels) {
    super(VERSION);
    conv = addChildBlock("conv", Convs.strided(channels, 3, 2, 1));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return conv.forward(ps, inputs, training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    conv.initialize(manager, dataType, inputs);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return conv.getOutputShapes(inputs);
  }
}
