package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.noddildm.model.nn.Convs;
import org.noddildm.model.nn.GroupNorm3d;
import org.noddildm.model.nn.ResBlock3d;
import org.noddildm.model.nn.SelfAttention3d;
import org.noddildm.model.nn.SiLU;
import org.noddildm.model.nn.Upsample3d;

/**
 * VQ-GAN decoder in 3D, the mirror of {@link Encoder3d}: quantized latent
 * (B, latentDim, d, h, w) to (B, C, f d, f h, f w). Its last convolution is the layer
 * {@code G_L} at which the adaptive GAN weight is measured ({@link #lastLayerWeight()}).
 */
public final class Decoder3d extends AbstractBlock {
  private static final byte VERSION = 1;
  private final Block convIn;
  private final SequentialBlock mid;
  private final SequentialBlock up;
  private final Block normOut;
  private final Block convOut;

  public Decoder3d(VqganConfig c) {
    super(VERSION);
    int ch = c.width(c.levels() - 1);
    convIn = addChildBlock("convIn", Convs.same(ch, 3));
    mid = new SequentialBlock().add(new ResBlock3d(ch, ch, c.maxGroups()));
    if (c.attention()) {
      mid.add(new SelfAttention3d(ch, c.maxGroups()));
    }
    mid.add(new ResBlock3d(ch, ch, c.maxGroups()));
    addChildBlock("mid", mid);
    up = new SequentialBlock();
    for (int level = c.levels() - 1; level >= 0; level--) {
      for (int r = 0; r < c.resBlocks(); r++) {
        up.add(new ResBlock3d(ch, c.width(level), c.maxGroups()));
        ch = c.width(level);
      }
      if (level > 0) {
        up.add(new Upsample3d(ch));
      }
    }
    addChildBlock("up", up);
    normOut = addChildBlock("normOut", new GroupNorm3d(c.maxGroups()));
    convOut = addChildBlock("convOut", Convs.same(c.inChannels(), 3));
  }

  /** The weight of the last convolution, {@code G_L} in lambda's formula. */
  public Parameter lastLayerWeight() {
    return convOut.getParameters().get("weight");
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDList h = convIn.forward(ps, inputs, training); // (B, wL, d, h, w)
    h = mid.forward(ps, h, training);
    h = up.forward(ps, h, training); // (B, w0, f d, f h, f w)
    NDArray a = SiLU.apply(normOut.forward(ps, h, training).singletonOrThrow());
    return convOut.forward(ps, new NDList(a), training); // (B, C, f d, f h, f w)
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape[] s = inputs;
    for (Block b : new Block[] {convIn, mid, up, normOut, convOut}) {
      b.initialize(manager, dataType, s);
      s = b.getOutputShapes(s);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape[] s = inputs;
    for (Block b : new Block[] {convIn, mid, up, normOut, convOut}) {
      s = b.getOutputShapes(s);
    }
    return s;
  }
}
