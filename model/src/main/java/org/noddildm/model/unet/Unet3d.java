package org.noddildm.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.nn.Convs;
import org.noddildm.model.nn.Downsample3d;
import org.noddildm.model.nn.GroupNorm3d;
import org.noddildm.model.nn.ResBlock3d;
import org.noddildm.model.nn.SelfAttention3d;
import org.noddildm.model.nn.SiLU;
import org.noddildm.model.nn.Upsample3d;

/**
 * The conditional denoiser: a 3D U-Net as in DDPM (Ho et al. 2020; Ronneberger et al. 2015) on
 * latent grids. Forward inputs: x_t (B, C, D, H, W), t (B,), cond (B, Cc, D, H, W); output the
 * prediction (B, C, D, H, W). As in CLDM (github.com/guchengzhong/CLDM) the condition enters by
 * concatenation with
 * x_t on the channel axis; the step enters every residual block through its embedding.
 *
 * <pre>
 *   h0 = convIn([x_t, cond])                         skips: h0
 *   per level l: resBlocks x TimeResBlock -> w_l      skips: each output
 *                Downsample (not after the last)      skips: its output
 *   mid: TimeResBlock, SelfAttention (optional), TimeResBlock       (lowest resolution)
 *   global context (optional): emb += MLP(mean of the first mid block's output over the grid),
 *        for the second mid block and every block upwards
 *   per level l, upwards: (resBlocks + 1) x TimeResBlock([h, skip.pop()]) -> w_l
 *                Upsample (not after level 0)
 *   out = convOut(silu(norm(h)))
 * </pre>
 */
public final class Unet3d extends AbstractBlock {
  private static final byte VERSION = 1;
  private final UnetConfig config;
  private final TimeEmbedding time;
  private final Block convIn;
  private final List<List<Block>> down = new ArrayList<>();
  private final List<Block> downsample = new ArrayList<>();
  private final Block mid1;
  private final Block global;
  private final Block midAttn;
  private final Block mid2;
  private final List<List<Block>> up = new ArrayList<>();
  private final List<Block> upsample = new ArrayList<>();
  private final Block normOut;
  private final Block convOut;

  public Unet3d(UnetConfig c) {
    super(VERSION);
    this.config = c;
    int g = c.maxGroups();
    time = addChildBlock("time", new TimeEmbedding(c.timeDim()));
    int ch = c.width(0);
    convIn = addChildBlock("convIn", Convs.same(ch, 3));
    Deque<Integer> skips = new ArrayDeque<>();
    skips.push(ch);
    for (int l = 0; l < c.levels(); l++) {
      List<Block> blocks = new ArrayList<>();
      for (int r = 0; r < c.resBlocks(); r++) {
        blocks.add(addChildBlock("down" + l + "_" + r, ResBlock3d.timed(ch, c.width(l), g)));
        ch = c.width(l);
        skips.push(ch);
      }
      down.add(blocks);
      if (l < c.levels() - 1) {
        downsample.add(addChildBlock("downsample" + l, new Downsample3d(ch)));
        skips.push(ch);
      }
    }
    mid1 = addChildBlock("mid1", ResBlock3d.timed(ch, ch, g));
    global = c.globalContext() ? addChildBlock("global", new GlobalContext(time.outDim()))
        : null;
    midAttn = c.attention() ? addChildBlock("midAttn", new SelfAttention3d(ch, g)) : null;
    mid2 = addChildBlock("mid2", ResBlock3d.timed(ch, ch, g));
    for (int l = c.levels() - 1; l >= 0; l--) {
      List<Block> blocks = new ArrayList<>();
      for (int r = 0; r <= c.resBlocks(); r++) {
        int in = ch + skips.pop();
        blocks.add(addChildBlock("up" + l + "_" + r, ResBlock3d.timed(in, c.width(l), g)));
        ch = c.width(l);
      }
      up.add(blocks);
      if (l > 0) {
        upsample.add(addChildBlock("upsample" + l, new Upsample3d(ch)));
      }
    }
    normOut = addChildBlock("normOut", new GroupNorm3d(g));
    convOut = addChildBlock("convOut", Convs.same(c.channels(), 3));
  }

  public UnetConfig config() {
    return config;
  }

  /** Initialises all weights (seeded by the config) for latents of {@code size}^3 voxels. */
  public void initialize(NDManager manager, int size) {
    org.noddildm.model.Engines.seed(config.seed());
    initialize(manager, DataType.FLOAT32, new Shape(1, config.channels(), size, size, size),
        new Shape(1), new Shape(1, config.condChannels(), size, size, size));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray xt = inputs.get(0); // (B, C, D, H, W)
    checkInputs(xt.getShape(), config.condChannels() > 0 ? inputs.get(2).getShape() : null);
    NDArray emb = time.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow();
    NDArray x = config.condChannels() > 0 ? xt.concat(inputs.get(2), 1) : xt; // (B, C+Cc, ..)
    NDArray h = one(convIn, ps, training, x); // (B, w0, D, H, W)
    Deque<NDArray> skips = new ArrayDeque<>();
    skips.push(h);
    for (int l = 0; l < config.levels(); l++) {
      for (Block b : down.get(l)) {
        h = one(b, ps, training, h, emb);
        skips.push(h);
      }
      if (l < downsample.size()) {
        h = one(downsample.get(l), ps, training, h); // (B, w_l, D/2^(l+1), ..)
        skips.push(h);
      }
    }
    h = one(mid1, ps, training, h, emb);
    if (global != null) {
      emb = emb.add(one(global, ps, training, h)); // (B, E)
    }
    if (midAttn != null) {
      h = one(midAttn, ps, training, h);
    }
    h = one(mid2, ps, training, h, emb);
    for (int i = 0; i < up.size(); i++) {
      for (Block b : up.get(i)) {
        h = one(b, ps, training, h.concat(skips.pop(), 1), emb);
      }
      if (i < upsample.size()) {
        h = one(upsample.get(i), ps, training, h);
      }
    }
    h = SiLU.apply(one(normOut, ps, training, h));
    return new NDList(one(convOut, ps, training, h)); // (B, C, D, H, W)
  }

  private static NDArray one(Block b, ParameterStore ps, boolean training, NDArray... in) {
    return b.forward(ps, new NDList(in), training).singletonOrThrow();
  }

  private void checkInputs(Shape x, Shape cond) {
    BadArgumentException.require(x.dimension() == 5 && x.get(1) == config.channels(),
        "U-Net input: expected (B, " + config.channels() + ", D, H, W), found " + x);
    int m = config.sizeMultiple();
    for (int i = 2; i < 5; i++) {
      BadArgumentException.require(x.get(i) % m == 0, "U-Net input: expected latent sizes that "
          + "are multiples of " + m + ", found " + x);
    }
    if (cond != null) {
      BadArgumentException.require(cond.dimension() == 5 && cond.get(0) == x.get(0)
          && cond.get(1) == config.condChannels() && cond.get(2) == x.get(2)
          && cond.get(3) == x.get(3) && cond.get(4) == x.get(4), "U-Net condition: expected ("
          + x.get(0) + ", " + config.condChannels() + ", " + x.get(2) + ", " + x.get(3) + ", "
          + x.get(4) + "), found " + cond);
    }
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape x = inputs[0];
    time.initialize(manager, dataType, inputs[1]);
    Shape emb = time.getOutputShapes(new Shape[] {inputs[1]})[0];
    Shape xin = new Shape(x.get(0), config.channels() + config.condChannels(), x.get(2),
        x.get(3), x.get(4));
    Shape h = init(convIn, manager, dataType, xin);
    Deque<Shape> skips = new ArrayDeque<>();
    skips.push(h);
    for (int l = 0; l < config.levels(); l++) {
      for (Block b : down.get(l)) {
        h = init(b, manager, dataType, h, emb);
        skips.push(h);
      }
      if (l < downsample.size()) {
        h = init(downsample.get(l), manager, dataType, h);
        skips.push(h);
      }
    }
    h = init(mid1, manager, dataType, h, emb);
    if (global != null) {
      init(global, manager, dataType, h);
    }
    if (midAttn != null) {
      h = init(midAttn, manager, dataType, h);
    }
    h = init(mid2, manager, dataType, h, emb);
    for (int i = 0; i < up.size(); i++) {
      for (Block b : up.get(i)) {
        Shape s = skips.pop();
        Shape cat = new Shape(h.get(0), h.get(1) + s.get(1), h.get(2), h.get(3), h.get(4));
        h = init(b, manager, dataType, cat, emb);
      }
      if (i < upsample.size()) {
        h = init(upsample.get(i), manager, dataType, h);
      }
    }
    h = init(normOut, manager, dataType, h);
    init(convOut, manager, dataType, h);
  }

  private static Shape init(Block b, NDManager m, DataType type, Shape... in) {
    b.initialize(m, type, in);
    return b.getOutputShapes(in)[0];
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return new Shape[] {inputs[0]};
  }
}
