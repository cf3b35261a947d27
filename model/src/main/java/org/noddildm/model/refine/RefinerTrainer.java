package org.noddildm.model.refine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.Ssim;
import org.noddildm.core.metrics.SsimOptions;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.data.Crops;
import org.noddildm.model.nn.Autograd;
import org.noddildm.model.train.Adam;
import org.noddildm.model.train.StepStats;
import org.noddildm.model.train.TrainingListener;

/**
 * Trains a {@link RefinerNet} by weighted mean squared error between its output and the
 * correction the classic pipeline needs ({@link RefinerExample#target}), plus, if the config
 * asks, the same error of the correction's finite differences on the high-res grid
 * ({@link #gradientLoss}), on random low-res
 * crops that may reach past the volume (zero input there, as at prediction). Deterministic in
 * the config's seed: the crops of step s come from a generator seeded by (seed, s), so a
 * resumed run takes the same crops as an uninterrupted one.
 */
public final class RefinerTrainer implements AutoCloseable {
  /**
   * PSNR (dB, range 1) in the brain of held-out subjects: the classic pipeline and the refiner,
   * mean over subjects of NDI, ODI (where the true FWF &lt; 0.9) and FWF; and their SSIM over
   * the whole volume per map (scikit-image's, range 1, the maps set to 0 outside the brain as
   * {@code predict} writes them), which the benchmark also judges (null in runs saved before it
   * was measured).
   */
  public record Validation(long step, double[] classic, double[] refined, double[] classicSsim,
      double[] refinedSsim) {
    public double classicMean() {
      return (classic[0] + classic[1] + classic[2]) / 3;
    }

    public double refinedMean() {
      return (refined[0] + refined[1] + refined[2]) / 3;
    }

    /** What it measured, for a log line. */
    public String describe() {
      String psnr = String.format(java.util.Locale.ROOT, "PSNR in the brain NDI/ODI/FWF"
          + " %.2f/%.2f/%.2f dB (mean %.2f) against the classic pipeline's %.2f/%.2f/%.2f"
          + " (mean %.2f)", refined[0], refined[1], refined[2], refinedMean(), classic[0],
          classic[1], classic[2], classicMean());
      return refinedSsim == null || classicSsim == null ? psnr : psnr + String.format(
          java.util.Locale.ROOT, "; SSIM over the volume NDI/ODI/FWF %.4f/%.4f/%.4f against"
          + " %.4f/%.4f/%.4f", refinedSsim[0], refinedSsim[1], refinedSsim[2], classicSsim[0],
          classicSsim[1], classicSsim[2]);
    }
  }

  private final RefinerConfig config;
  private RefinerTrainConfig train;
  private final NDManager root;
  private final RefinerNet net;
  private final List<Parameter> params = new ArrayList<>();
  private final Adam adam;
  private long step;

  public RefinerTrainer(RefinerConfig config, RefinerTrainConfig train, Device device) {
    this.config = config;
    this.train = train;
    Engines.seed(train.seed());
    root = Engines.newManager(device);
    net = new RefinerNet(config);
    net.initialize(root);
    net.getParameters().values().forEach(params::add);
    adam = new Adam(params, 0.9, 0.999, 1e-8, root);
  }

  public RefinerConfig config() {
    return config;
  }

  public RefinerTrainConfig trainConfig() {
    return train;
  }

  /** Continues with another schedule (more steps, another rate); Adam's moments are kept. */
  public void setTrainConfig(RefinerTrainConfig t) {
    train = t;
  }

  public RefinerNet net() {
    return net;
  }

  Adam adam() {
    return adam;
  }

  NDManager manager() {
    return root;
  }

  public long step() {
    return step;
  }

  void setStep(long s) {
    step = s;
  }

  /** One optimizer step on random crops of {@code data}. */
  public StepStats step(List<RefinerExample> data) {
    SplittableRandom r = new SplittableRandom(train.seed() * 0x9E3779B97F4A7C15L + step);
    int s = train.crop();
    int cin = config.inChannels();
    int cout = config.outChannels();
    int vox = s * s * s;
    float[] x = new float[train.batch() * cin * vox];
    float[] y = new float[train.batch() * cout * vox];
    float[] w = new float[train.batch() * cout * vox];
    for (int b = 0; b < train.batch(); b++) {
      RefinerExample e = data.get(r.nextInt(data.size()));
      int h = train.margin();
      int[] box = {origin(e.features().nx(), s, h, r), origin(e.features().ny(), s, h, r),
          origin(e.features().nz(), s, h, r), s, s, s};
      Crops.copy(e.features(), box[0], box[1], box[2], s, s, s, x, b * cin * vox);
      Crops.copy(e.target(), box[0], box[1], box[2], s, s, s, y, b * cout * vox);
      Crops.copy(e.weight(), box[0], box[1], box[2], s, s, s, w, b * cout * vox);
      zeroMargin(w, b * cout * vox, cout, s, h);
    }
    double lr = train.lrAt(step);
    try (NDManager scope = root.newSubManager()) {
      Shape in = new Shape(train.batch(), cin, s, s, s);
      Shape out = new Shape(train.batch(), cout, s, s, s);
      NDArray xa = scope.create(x, in);
      NDArray ya = scope.create(y, out);
      NDArray wa = scope.create(w, out);
      float wsum = Math.max(1f, wa.sum().getFloat());
      double loss;
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDArray p = net.forward(new ParameterStore(scope, false), new NDList(xa), true)
            .singletonOrThrow();
        NDArray d = p.sub(ya);
        NDArray l = d.square().mul(wa).sum().div(wsum);
        if (train.gradientWeight() > 0) {
          l = l.add(gradientLoss(d, wa, config.factor()).mul((float) train.gradientWeight()));
        }
        Autograd.backward(l, false);
        loss = l.getFloat();
      }
      adam.step(lr, scope);
      Autograd.zeroGrad(params);
      step++;
      return new StepStats(step, loss, lr, "");
    }
  }

  /**
   * Sub-voxel channels (B, C f^3, s, s, s) laid out as {@link
   * org.noddildm.core.volume.SubVoxels} does, as the high-res tensor (B, C, f s, f s, f s).
   */
  static NDArray toHighRes(NDArray lowChannels, int f) {
    Shape sh = lowChannels.getShape();
    long b = sh.get(0);
    long c = sh.get(1) / ((long) f * f * f);
    long z = sh.get(2);
    long y = sh.get(3);
    long x = sh.get(4);
    // channel k f^3 + a + f b + f^2 c holds high-res voxel (f x + a, f y + b, f z + c)
    return lowChannels.reshape(b, c, f, f, f, z, y, x).transpose(0, 1, 5, 2, 6, 3, 7, 4)
        .reshape(b, c, z * f, y * f, x * f);
  }

  /**
   * The weighted mean squared finite difference of the high-res error along x, y and z,
   * averaged over the three axes: zero when the error is the same in neighbouring voxels, so it
   * penalises only errors of edges and texture. A difference counts with the product of the two
   * voxels' weights.
   */
  static NDArray gradientLoss(NDArray errorChannels, NDArray weightChannels, int f) {
    NDArray e = toHighRes(errorChannels, f);
    NDArray w = toHighRes(weightChannels, f);
    String[][] pairs = {{":,:,1:", ":,:,:-1"}, {":,:,:,1:", ":,:,:,:-1"},
        {":,:,:,:,1:", ":,:,:,:,:-1"}};
    NDArray sum = null;
    for (String[] pair : pairs) {
      NDArray de = e.get(pair[0]).sub(e.get(pair[1]));
      NDArray dw = w.get(pair[0]).mul(w.get(pair[1]));
      NDArray term = de.square().mul(dw).sum().div(dw.sum().maximum(1f));
      sum = sum == null ? term : sum.add(term);
    }
    return sum.div(pairs.length);
  }

  /** A crop origin in [-h, n - s + h], so crops see up to h voxels of outside. */
  private static int origin(int n, int s, int h, SplittableRandom r) {
    int hi = Math.max(-h, n - s + h);
    return -h + r.nextInt(hi + h + 1);
  }

  /** Zeroes the loss weights of the crop at {@code offset} within h voxels of its faces. */
  private static void zeroMargin(float[] w, int offset, int channels, int s, int h) {
    for (int c = 0; c < channels; c++) {
      for (int z = 0; z < s; z++) {
        for (int y = 0; y < s; y++) {
          for (int x = 0; x < s; x++) {
            if (x < h || y < h || z < h || x >= s - h || y >= s - h || z >= s - h) {
              w[offset + ((c * s + z) * s + y) * s + x] = 0f;
            }
          }
        }
      }
    }
  }

  /**
   * Trains until {@link RefinerTrainConfig#steps}, validating and checkpointing into {@code out}
   * at the config's intervals and at the end; {@code history} receives the validations.
   */
  public void run(List<RefinerExample> data, List<RefinerExample> heldOut, java.nio.file.Path out,
      com.google.gson.JsonObject meta, List<Validation> history, TrainingListener listener)
      throws java.io.IOException {
    while (step < train.steps()) {
      StepStats s = step(data);
      listener.onStep(s);
      boolean last = s.step() == train.steps();
      boolean validate = !heldOut.isEmpty() && (last || train.validateEvery() > 0
          && s.step() % train.validateEvery() == 0);
      if (validate) {
        Validation v = validate(heldOut);
        history.add(v);
        listener.onValidation(v.step(), v.describe());
      }
      if (last || s.step() % train.checkpointEvery() == 0) {
        RefinerCheckpoints.save(out, this, meta, history);
      }
    }
  }

  /** Refines each held-out subject whole and scores it against its truth and the classic. */
  public Validation validate(List<RefinerExample> heldOut) {
    Refiner refiner = new Refiner(net, root);
    double[] classic = new double[3];
    double[] refined = new double[3];
    double[] classicSsim = new double[3];
    double[] refinedSsim = new double[3];
    SsimOptions o = SsimOptions.defaults();
    for (RefinerExample e : heldOut) {
      Volume mapsHi = refiner.refine(new ClassicEstimate(e.features().volumes(0, 1, 2),
          e.features()));
      Mask brain = brain(e.truth(), e.weight(), config.factor());
      double[] c = psnrInBrain(e.truth(), e.classic(), brain);
      double[] m = psnrInBrain(e.truth(), mapsHi, brain);
      // as predict writes them: 0 outside the brain
      Volume classicOut = brain.applyTo(e.classic());
      Volume refinedOut = brain.applyTo(mapsHi);
      for (int k = 0; k < 3; k++) {
        classic[k] += c[k] / heldOut.size();
        refined[k] += m[k] / heldOut.size();
        classicSsim[k] += Ssim.compute(e.truth(), classicOut, k, ErrorMetrics.NODDI_RANGE, o)
            .mean() / heldOut.size();
        refinedSsim[k] += Ssim.compute(e.truth(), refinedOut, k, ErrorMetrics.NODDI_RANGE, o)
            .mean() / heldOut.size();
      }
    }
    return new Validation(step, classic, refined, classicSsim, refinedSsim);
  }

  /**
   * PSNR per map (range 1) in the brain, which is where the example's FWF weight is positive;
   * NDI and ODI only where the true FWF is below {@value ErrorMetrics#FREE_WATER}. The scored
   * voxels do not depend on the loss weights of free water.
   */
  public static double[] psnrInBrain(Volume truth, Volume pred, Volume lowWeight, int f) {
    return psnrInBrain(truth, pred, brain(truth, lowWeight, f));
  }

  /** The brain on the truth's grid: where the FWF loss weight (sub-voxel channels) is > 0. */
  public static Mask brain(Volume truth, Volume lowWeight, int f) {
    Volume w = org.noddildm.core.volume.SubVoxels.fromChannels(lowWeight, truth.grid(), f);
    return Mask.above(w.volume(2), 0f);
  }

  /** The same in a given brain mask on the truth's grid ({@link #brain}). */
  public static double[] psnrInBrain(Volume truth, Volume pred, Mask brain) {
    Mask tissue = brain.whereBelow(truth, 2, ErrorMetrics.FREE_WATER);
    double[] out = new double[3];
    for (int k = 0; k < 3; k++) {
      out[k] = ErrorMetrics.psnr(truth, pred, k, k == 2 ? brain : tissue,
          ErrorMetrics.NODDI_RANGE);
    }
    return out;
  }

  @Override
  public void close() {
    root.close();
  }
}
