package org.noddildm.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.noddildm.model.nn.SiLU;

/**
 * What a whole latent grid says, as a vector for the step embedding: features (B, C, D, H, W)
 * averaged over the grid, then a two-layer MLP to (B, {@code width}). {@link Unet3d} adds it to
 * the embedding of every block after its lowest level, so that each voxel can draw on the whole
 * volume (a level read from every voxel, or a random draw that every voxel of a sample shares).
 * At prediction the grid is one latent tile.
 */
final class GlobalContext extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int width;
  private final Block fc1;
  private final Block fc2;

  GlobalContext(int width) {
    super(VERSION);
    this.width = width;
    fc1 = addChildBlock("fc1", Linear.builder().setUnits(width).build());
    fc2 = addChildBlock("fc2", Linear.builder().setUnits(width).build());
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray h0 = inputs.singletonOrThrow(); // (B, C, D, H, W)
    Shape s = h0.getShape();
    NDArray pooled = h0.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}); // (B, C)
    NDArray h = fc1.forward(ps, new NDList(pooled), training).singletonOrThrow(); // (B, width)
    return fc2.forward(ps, new NDList(SiLU.apply(h)), training); // (B, width)
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape pooled = new Shape(inputs[0].get(0), inputs[0].get(1));
    fc1.initialize(manager, dataType, pooled);
    fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {pooled}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return new Shape[] {new Shape(inputs[0].get(0), width)};
  }
}
