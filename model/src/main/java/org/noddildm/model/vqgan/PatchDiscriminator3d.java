package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.model.nn.Convs;
import org.noddildm.model.nn.GroupNorm3d;

/**
 * PatchGAN discriminator (Isola et al. 2017) in 3D: a stack of 4 x 4 x 4 stride-2 convolutions
 * with LeakyReLU(0.2), then a 3 x 3 x 3 layer and a one-channel 3 x 3 x 3 output, giving one
 * real/fake logit per patch (B, 1, D/2^L, H/2^L, W/2^L). GroupNorm replaces batch norm (small
 * 3D batches).
 */
public final class PatchDiscriminator3d extends AbstractBlock {
  private static final byte VERSION = 1;
  private final List<Block> convs = new ArrayList<>();
  private final List<Block> norms = new ArrayList<>();

  public PatchDiscriminator3d(VqganConfig c) {
    super(VERSION);
    int ch = c.discWidth();
    convs.add(addChildBlock("conv0", Convs.strided(ch, 4, 2, 1)));
    norms.add(null);
    for (int i = 1; i < c.discLayers(); i++) {
      ch *= 2;
      convs.add(addChildBlock("conv" + i, Convs.strided(ch, 4, 2, 1)));
      norms.add(addChildBlock("norm" + i, new GroupNorm3d(c.maxGroups())));
    }
    convs.add(addChildBlock("conv" + c.discLayers(), Convs.same(ch, 3)));
    norms.add(addChildBlock("norm" + c.discLayers(), new GroupNorm3d(c.maxGroups())));
    convs.add(addChildBlock("logits", Convs.same(1, 3)));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray h = inputs.singletonOrThrow(); // (B, C, D, H, W)
    for (int i = 0; i < convs.size() - 1; i++) {
      h = convs.get(i).forward(ps, new NDList(h), training).singletonOrThrow();
      if (norms.get(i) != null) {
        h = norms.get(i).forward(ps, new NDList(h), training).singletonOrThrow();
      }
      h = Activation.leakyRelu(h, 0.2f);
    }
    return convs.get(convs.size() - 1).forward(ps, new NDList(h), training); // (B, 1, ...)
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape[] s = inputs;
    for (int i = 0; i < convs.size(); i++) {
      convs.get(i).initialize(manager, dataType, s);
      s = convs.get(i).getOutputShapes(s);
      if (i < norms.size() && norms.get(i) != null) {
        norms.get(i).initialize(manager, dataType, s);
      }
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape[] s = inputs;
    for (Block b : convs) {
      s = b.getOutputShapes(s);
    }
    return s;
  }
}
