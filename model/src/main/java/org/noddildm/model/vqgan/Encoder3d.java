package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.noddildm.model.nn.Convs;
import org.noddildm.model.nn.Downsample3d;
import org.noddildm.model.nn.GroupNorm3d;
import org.noddildm.model.nn.ResBlock3d;
import org.noddildm.model.nn.SelfAttention3d;
import org.noddildm.model.nn.SiLU;

/**
 * VQ-GAN encoder in 3D: (B, C, D, H, W) to the continuous latent (B, latentDim, D/f, H/f, W/f),
 * f = downFactor. Residual blocks at each level, a strided convolution between levels, a middle
 * of two residual blocks (with attention if configured), then GroupNorm, SiLU and a convolution
 * to the latent width.
 */
public final class Encoder3d extends AbstractBlock {
  private static final byte VERSION = 1;
  private final Block convIn;
  private final SequentialBlock down;
  private final SequentialBlock mid;
  private final Block normOut;
  private final Block convOut;

  public Encoder3d(VqganConfig c) {
    super(VERSION);
    int ch = c.width(0);
    convIn = addChildBlock("convIn", Convs.same(ch, 3));
    down = new SequentialBlock();
    for (int level = 0; level < c.levels(); level++) {
      for (int r = 0; r < c.resBlocks(); r++) {
        down.add(new ResBlock3d(ch, c.width(level), c.maxGroups()));
        ch = c.width(level);
      }
      if (level < c.levels() - 1) {
        down.add(new Downsample3d(ch));
      }
    }
    addChildBlock("down", down);
    mid = new SequentialBlock().add(new ResBlock3d(ch, ch, c.maxGroups()));
    if (c.attention()) {
      mid.add(new SelfAttention3d(ch, c.maxGroups()));
    }
    mid.add(new ResBlock3d(ch, ch, c.maxGroups()));
    addChildBlock("mid", mid);
    normOut = addChildBlock("normOut", new GroupNorm3d(c.maxGroups()));
    convOut = addChildBlock("convOut", Convs.same(c.latentDim(), 3));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDList h = convIn.forward(ps, inputs, training); // (B, w0, D, H, W)
    h = down.forward(ps, h, training); // (B, wL, D/f, H/f, W/f)
    h = mid.forward(ps, h, training);
    NDArray a = SiLU.apply(normOut.forward(ps, h, training).singletonOrThrow());
    return convOut.forward(ps, new NDList(a), training); // (B, latentDim, D/f, H/f, W/f)
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape[] s = inputs;
    for (Block b : new Block[] {convIn, down, mid, normOut, convOut}) {
      b.initialize(manager, dataType, s);
      s = b.getOutputShapes(s);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape[] s = inputs;
    for (Block b : new Block[] {convIn, down, mid, normOut, convOut}) {
      s = b.getOutputShapes(s);
    }
    return s;
  }
}
