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
 * The step embedding of the DDPM U-Net: the sinusoidal position encoding of Vaswani et al. 2017
 * followed by a two-layer MLP. For t (B,) and d = {@code dim}, half = d/2:
 * <pre>
 *   f_i = exp(-ln(10000) i / (half - 1)),  i = 0 .. half-1
 *   e(t) = [sin(t f_0) .. sin(t f_{half-1}), cos(t f_0) .. cos(t f_{half-1})]
 *   emb  = W2 silu(W1 e(t) + b1) + b2          (B, 4d)
 * </pre>
 */
public final class TimeEmbedding extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int dim;
  private final Block fc1;
  private final Block fc2;

  public TimeEmbedding(int dim) {
    super(VERSION);
    this.dim = dim;
    fc1 = addChildBlock("fc1", Linear.builder().setUnits(4L * dim).build());
    fc2 = addChildBlock("fc2", Linear.builder().setUnits(4L * dim).build());
  }

  /** The width of the embedding this block outputs. */
  public int outDim() {
    return 4 * dim;
  }

  /** The sinusoidal encoding e(t) of steps t (B,) as (B, dim). */
  public static NDArray sinusoidal(NDArray t, int dim) {
    int half = dim / 2;
    float[] f = new float[half];
    for (int i = 0; i < half; i++) {
      f[i] = (float) Math.exp(-Math.log(10000.0) * i / Math.max(1, half - 1));
    }
    NDArray freqs = t.getManager().create(f, new Shape(1, half));
    NDArray arg = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs); // (B, half)
    return arg.sin().concat(arg.cos(), 1); // (B, dim)
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray e = sinusoidal(inputs.singletonOrThrow(), dim); // (B, dim)
    NDArray h = fc1.forward(ps, new NDList(e), training).singletonOrThrow(); // (B, 4 dim)
    return fc2.forward(ps, new NDList(SiLU.apply(h)), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape e = new Shape(inputs[0].get(0), dim);
    fc1.initialize(manager, dataType, e);
    fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {e}));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return new Shape[] {new Shape(inputs[0].get(0), 4L * dim)};
  }
}
