package org.noddildm.model.refine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.model.nn.Convs;
import org.noddildm.model.nn.SiLU;

/**
 * The anchored refiner: a fully convolutional residual network on the low-resolution grid that
 * predicts, for every sub-voxel, a correction to the trilinear upsampling of the classic NODDI
 * fit (sub-pixel output as in ESPCN, Shi et al. 2016; residual learning over an interpolated
 * anchor as in VDSR, Kim et al. 2016):
 * <pre>
 *   h_0 = conv_in(x)                               x: classic features (B, 9, D, H, W)
 *   h_k = h_{k-1} + conv(silu(conv(silu(h_{k-1}))))   k = 1..blocks
 *   r   = conv_out(silu(h_K))                      (B, 3 f^3, D, H, W), zero at initialisation
 *   maps_hi = upsample(fit) + depth_to_space(r)
 * </pre>
 * It has no normalisation and no attention, so each output depends only on a
 * {@link RefinerConfig#halo}-voxel neighbourhood: the same brain gives the same maps whatever
 * the field of view or tile around it. The last layer starts at zero, so an untrained refiner
 * returns the classic pipeline's answer exactly.
 */
public final class RefinerNet extends AbstractBlock {
  private static final byte VERSION = 1;
  private final RefinerConfig config;
  private final Block convIn;
  private final List<Block[]> blocks = new ArrayList<>();
  private final Block convOut;

  public RefinerNet(RefinerConfig config) {
    super(VERSION);
    this.config = config;
    convIn = addChildBlock("convIn", Convs.same(config.width(), 3));
    for (int k = 0; k < config.blocks(); k++) {
      blocks.add(new Block[] {addChildBlock("block" + k + "a", Convs.same(config.width(), 3)),
          addChildBlock("block" + k + "b", Convs.same(config.width(), 3))});
    }
    convOut = addChildBlock("convOut", Convs.same(config.outChannels(), 1));
  }

  public RefinerConfig config() {
    return config;
  }

  /** Initialises the weights (for inputs of any size) and zeroes the output layer. */
  public void initialize(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, config.inChannels(), 8, 8, 8));
    for (var p : convOut.getParameters().values()) {
      p.getArray().muli(0f);
    }
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray h = convIn.forward(ps, inputs, training).singletonOrThrow(); // (B, W, D, H, W)
    for (Block[] b : blocks) {
      NDArray r = b[0].forward(ps, new NDList(SiLU.apply(h)), training)
          .singletonOrThrow();
      r = b[1].forward(ps, new NDList(SiLU.apply(r)), training).singletonOrThrow();
      h = h.add(r);
    }
    // (B, 3 f^3, D, H, W)
    return convOut.forward(ps, new NDList(SiLU.apply(h)), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    Shape in = inputs[0];
    convIn.initialize(manager, dataType, in);
    Shape hidden = new Shape(in.get(0), config.width(), in.get(2), in.get(3), in.get(4));
    for (Block[] b : blocks) {
      b[0].initialize(manager, dataType, hidden);
      b[1].initialize(manager, dataType, hidden);
    }
    convOut.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape in = inputs[0];
    return new Shape[] {new Shape(in.get(0), config.outChannels(), in.get(2), in.get(3),
        in.get(4))};
  }
}
