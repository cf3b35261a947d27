package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The generator of the 3D VQ-GAN: encoder, vector quantizer, decoder. Forward of a batch
 * (B, C, D, H, W) returns: reconstruction (B, C, D, H, W), L_vq, perplexity, code indices, and
 * the encoder output z_e flattened to (N groups, codeDim) (for dead-code restarts).
 */
public final class Vqgan extends AbstractBlock {
  private static final byte VERSION = 1;
  private final VqganConfig config;
  private final Encoder3d encoder;
  private final VectorQuantizer quantizer;
  private final Decoder3d decoder;

  public Vqgan(VqganConfig config) {
    super(VERSION);
    this.config = config;
    encoder = addChildBlock("encoder", new Encoder3d(config));
    quantizer = addChildBlock("quantizer",
        new VectorQuantizer(config.codebookSize(), config.latentDim(), config.codeGroups(),
            config.beta()));
    decoder = addChildBlock("decoder", new Decoder3d(config));
  }

  public VqganConfig config() {
    return config;
  }

  public Encoder3d encoder() {
    return encoder;
  }

  public VectorQuantizer quantizer() {
    return quantizer;
  }

  public Decoder3d decoder() {
    return decoder;
  }

  /** Initialises all weights for inputs of {@code crop}^3 voxels (weights do not depend on it). */
  public void initialize(NDManager manager, int crop) {
    initialize(manager, DataType.FLOAT32, new Shape(1, config.inChannels(), crop, crop, crop));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ze = encoder.forward(ps, inputs, training).singletonOrThrow(); // (B, dim, d, h, w)
    NDList q = quantizer.forward(ps, new NDList(ze), training); // z_q, L_vq, perplexity, indices
    NDArray xr = decoder.forward(ps, new NDList(q.get(0)), training).singletonOrThrow();
    NDArray zf = ze.transpose(0, 2, 3, 4, 1).reshape(-1, config.codeDim()).stopGradient();
    return new NDList(xr, q.get(1), q.get(2), q.get(3), zf);
  }

  /** Continuous latent z_e of a batch (no gradients). */
  public NDArray encode(ParameterStore ps, NDArray x) {
    return encoder.forward(ps, new NDList(x), false).singletonOrThrow();
  }

  /** Quantized latent z_q of a continuous latent. */
  public NDArray quantize(ParameterStore ps, NDArray ze) {
    return quantizer.forward(ps, new NDList(ze), false).get(0);
  }

  /** Reconstruction from a (quantized) latent. */
  public NDArray decode(ParameterStore ps, NDArray zq) {
    return decoder.forward(ps, new NDList(zq), false).singletonOrThrow();
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
    encoder.initialize(manager, dataType, inputs);
    Shape[] z = encoder.getOutputShapes(inputs);
    quantizer.initialize(manager, dataType, z);
    decoder.initialize(manager, dataType, z);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape[] z = encoder.getOutputShapes(inputs);
    Shape[] q = quantizer.getOutputShapes(z);
    return new Shape[] {inputs[0], q[1], q[2], q[3], new Shape(q[3].get(0), config.codeDim())};
  }
}
