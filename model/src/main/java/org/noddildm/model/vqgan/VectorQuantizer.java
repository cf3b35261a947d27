package org.noddildm.model.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.noddildm.model.nn.Autograd;

/**
 * Vector quantizer of VQ-VAE (van den Oord et al. 2017, "Neural Discrete Representation
 * Learning"). Each latent vector {@code z_e} is replaced by its nearest codebook entry
 * {@code e_k, k = argmin_j ||z_e - e_j||^2}. Gradients pass straight through:
 * {@code z_q = z_e + sg[e_k - z_e]}. The loss is
 * {@code L_vq = ||sg[z_e] - e_k||^2 + beta ||z_e - sg[e_k]||^2} (codebook + commitment).
 *
 * <p>Codebook usage is tracked as the number of steps each code has gone unused; codes idle for
 * too long are restarted on random encoder outputs of the current batch (as in Dhariwal et al.
 * 2020, Jukebox), which keeps the perplexity {@code exp(-sum_k p_k log p_k)} from collapsing.
 *
 * <p>With {@code groups > 1} the latent channels are split into that many consecutive groups
 * and each group is quantized on its own with the shared codebook of {@code dim / groups}-vectors
 * (product quantization, Jegou et al. 2011): a latent voxel then takes one of
 * {@code size^groups} values instead of {@code size}, which is what a map-accurate autoencoder
 * at small downsampling needs.
 *
 * <p>Input (B, dim, d, h, w). Output list: z_q (same shape, straight-through), L_vq (scalar),
 * perplexity (scalar), code indices (B d h w groups, int64, groups fastest, then x-fastest order
 * within each sample's (d, h, w) grid).
 */
public final class VectorQuantizer extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int size;
  private final int dim;
  private final int groups;
  private final int codeDim;
  private final float beta;
  private final Parameter codebook;
  private final int[] idle;

  public VectorQuantizer(int size, int dim, double beta) {
    this(size, dim, 1, beta);
  }

  public VectorQuantizer(int size, int dim, int groups, double beta) {
    super(VERSION);
    if (groups < 1 || dim % groups != 0) {
      throw new IllegalArgumentException("code groups: expected a divisor of " + dim
          + ", found " + groups);
    }
    this.size = size;
    this.dim = dim;
    this.groups = groups;
    this.codeDim = dim / groups;
    this.beta = (float) beta;
    this.idle = new int[size];
    codebook = addParameter(Parameter.builder().setName("codebook")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(size, codeDim))
        .optInitializer(new UniformInitializer(1f / size)).build());
  }

  public Parameter codebook() {
    return codebook;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray z = inputs.singletonOrThrow(); // (B, dim, d, h, w)
    Shape s = z.getShape();
    NDArray e = ps.getValue(codebook, z.getDevice(), training); // (K, codeDim)
    NDArray zf = z.transpose(0, 2, 3, 4, 1).reshape(-1, codeDim); // (N groups, codeDim)
    NDArray idx = nearest(zf, e); // (N groups)
    NDArray onehot = idx.oneHot(size); // (N groups, K)
    NDArray zqf = onehot.matMul(e); // (N groups, codeDim)
    NDArray codebookLoss = zqf.sub(zf.stopGradient()).square().mean();
    NDArray commitLoss = zqf.stopGradient().sub(zf).square().mean();
    NDArray loss = codebookLoss.add(commitLoss.mul(beta));
    NDArray zqSt = zf.add(zqf.sub(zf).stopGradient()); // straight-through
    NDArray zq = zqSt.reshape(s.get(0), s.get(2), s.get(3), s.get(4), dim)
        .transpose(0, 4, 1, 2, 3);
    NDArray p = onehot.mean(new int[] {0}).stopGradient(); // (K) code frequencies
    NDArray perplexity = p.mul(p.add(1e-10f).log()).sum().neg().exp();
    return new NDList(zq, loss, perplexity, idx);
  }

  /** Index of the nearest codebook row for each row of {@code zf} (squared Euclidean). */
  static NDArray nearest(NDArray zf, NDArray e) {
    NDArray e2 = Autograd.scoped(e.square(), zf);
    NDArray et = Autograd.scoped(e.transpose(), zf);
    NDArray dist = zf.square().sum(new int[] {1}, true)
        .add(e2.sum(new int[] {1}).reshape(1, -1))
        .sub(zf.matMul(et).mul(2)); // (N, K)
    return dist.argMin(1).stopGradient();
  }

  /** The codebook vectors for {@code indices}: (N) to (N, codeDim). */
  public NDArray lookup(NDArray indices) {
    return indices.oneHot(size).matMul(codebook.getArray());
  }

  /**
   * Counts each code as used or idle for one step, then moves codes idle for at least
   * {@code patience} steps onto random code-length pieces of {@code zf} (encoder outputs,
   * (N, dim) or (N groups, codeDim)) with a little noise. Call outside gradient collection,
   * after the optimizer step. Returns the number of codes restarted.
   */
  public int trackAndRestart(NDArray indices, NDArray zf, int patience, SplittableRandom random) {
    boolean[] used = new boolean[size];
    for (long k : indices.toLongArray()) {
      used[(int) k] = true;
    }
    int dead = 0;
    for (int k = 0; k < size; k++) {
      idle[k] = used[k] ? 0 : idle[k] + 1;
      if (idle[k] >= patience) {
        dead++;
      }
    }
    if (dead == 0 || patience <= 0) {
      return 0;
    }
    float[] z = zf.toFloatArray();
    int n = z.length / codeDim;
    NDArray cb = codebook.getArray();
    float[] values = cb.toFloatArray();
    float noise = 1f / size;
    for (int k = 0; k < size; k++) {
      if (idle[k] >= patience) {
        int row = random.nextInt(n);
        for (int j = 0; j < codeDim; j++) {
          values[k * codeDim + j] = z[row * codeDim + j] + (float) (random.nextGaussian() * noise);
        }
        idle[k] = 0;
      }
    }
    try (NDManager tmp = cb.getManager().newSubManager()) {
      NDArray fresh = tmp.create(values, cb.getShape());
      cb.muli(0).addi(fresh);
    }
    return dead;
  }

  /** Steps each code has gone unused (for checkpoints). */
  public int[] idleSteps() {
    return idle.clone();
  }

  public void setIdleSteps(int[] steps) {
    if (steps.length != size) {
      throw new IllegalArgumentException("idle steps: expected " + size + ", found "
          + steps.length);
    }
    System.arraycopy(steps, 0, idle, 0, size);
  }

  public int size() {
    return size;
  }

  /** Channel groups quantized separately (1: one code per latent voxel). */
  public int groups() {
    return groups;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape s = inputs[0];
    long n = s.get(0) * s.get(2) * s.get(3) * s.get(4) * groups;
    return new Shape[] {s, new Shape(), new Shape(), new Shape(n)};
  }

  @Override
  public String toString() {
    return "VectorQuantizer(" + size + " x " + codeDim + (groups > 1 ? " in " + groups
        + " groups" : "") + ", beta=" + beta + ", idle="
        + Arrays.stream(idle).filter(i -> i > 0).count() + ")";
  }
}
