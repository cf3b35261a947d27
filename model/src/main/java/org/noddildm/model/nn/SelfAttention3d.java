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
 * Single-head self-attention over the voxels of a 3D feature map with a residual connection,
 * as at the lowest resolution of the VQ-GAN (Esser et al. 2021):
 * {@code y = x + proj(V softmax(Q^T K / sqrt(C)))} with Q, K, V 1 x 1 x 1 convolutions of the
 * group-normalised input. Its cost grows with the square of the voxel count, so use it only where
 * the map is small (e.g. 4^3 or 8^3).
 */
public final class SelfAttention3d extends AbstractBlock {
  private static final byte VERSION = 1;
  private final Block norm;
  private final Block q;
  private final Block k;
  private final Block v;
  private final Block proj;

  public SelfAttention3d(int channels, int maxGroups) {
    super(VERSION);
    norm = addChildBlock("norm", new GroupNorm3d(maxGroups));
    q = addChildBlock("q", Convs.same(channels, 1));
    k = addChildBlock("k", Convs.same(channels, 1));
    v = addChildBlock("v", Convs.same(channels, 1));
    proj = addChildBlock("proj", Convs.same(channels, 1));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow(); // (B, C, D, H, W)
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    NDList h = norm.forward(ps, new NDList(x), training);
    NDArray qs = q.forward(ps, h, training).singletonOrThrow().reshape(b, c, -1); // (B, C, N)
    NDArray ks = k.forward(ps, h, training).singletonOrThrow().reshape(b, c, -1);
    NDArray vs = v.forward(ps, h, training).singletonOrThrow().reshape(b, c, -1);
    NDArray scores = qs.transpose(0, 2, 1).matMul(ks).div(Math.sqrt(c)); // (B, N, N)
    NDArray attn = scores.softmax(2); // row i: weights over keys j
    NDArray out = vs.matMul(attn.transpose(0, 2, 1)).reshape(s); // (B, C, N) -> (B, C, D, H, W)
    return new NDList(x.add(proj.forward(ps, new NDList(out), training).singletonOrThrow()));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    norm.initialize(manager, dataType, inputs);
    q.initialize(manager, dataType, inputs);
    k.initialize(manager, dataType, inputs);
    v.initialize(manager, dataType, inputs);
    proj.initialize(manager, dataType, inputs);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return new Shape[] {inputs[0]};
  }
}
