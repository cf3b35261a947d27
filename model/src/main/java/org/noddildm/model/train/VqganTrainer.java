package org.noddildm.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.metrics.ErrorMetrics;
import org.noddildm.core.metrics.Ssim;
import org.noddildm.core.metrics.SsimOptions;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.data.Crops;
import org.noddildm.model.nn.Autograd;
import org.noddildm.model.vqgan.AdaptiveWeight;
import org.noddildm.model.vqgan.Losses;
import org.noddildm.model.vqgan.PatchDiscriminator3d;
import org.noddildm.model.vqgan.TiledCoder;
import org.noddildm.model.vqgan.Vqgan;
import org.noddildm.model.vqgan.VqganConfig;

/**
 * One VQ-GAN training run: generator, discriminator, their Adam states and the step counter.
 *
 * <p>Each step draws random crops with a generator seeded by (seed, step), so that a run resumed
 * from a checkpoint sees exactly the crops the uninterrupted run would have seen; every array of
 * a step lives in a sub-manager closed at its end, so native memory stays flat.
 *
 * <p>Generator loss {@code L_rec + L_vq + lambda L_GAN} (the last term only from
 * {@code discStart} on, see {@link AdaptiveWeight}); discriminator loss: hinge
 * ({@link Losses#discriminatorHinge}).
 */
public final class VqganTrainer implements AutoCloseable {
  private VqganConfig config;
  private TrainConfig train;
  private final NDManager root;
  private final Vqgan generator;
  private final PatchDiscriminator3d discriminator;
  private final List<Parameter> genParams;
  private final List<Parameter> discParams;
  private final Adam genAdam;
  private final Adam discAdam;
  private long step;

  /** A fresh run: weights initialised from the config's seed. */
  public VqganTrainer(VqganConfig config, TrainConfig train, Device device) {
    train.requireMultipleOf(config.downFactor());
    this.config = config;
    this.train = train;
    Engines.seed(config.seed());
    root = Engines.newManager(device);
    generator = new Vqgan(config);
    generator.initialize(root, train.crop());
    discriminator = new PatchDiscriminator3d(config);
    discriminator.initialize(root, DataType.FLOAT32,
        new Shape(1, config.inChannels(), train.crop(), train.crop(), train.crop()));
    genParams = generator.getParameters().values();
    discParams = discriminator.getParameters().values();
    genAdam = new Adam(genParams, train.beta1(), train.beta2(), 1e-8, root);
    discAdam = new Adam(discParams, train.beta1(), train.beta2(), 1e-8, root);
  }

  public VqganConfig config() {
    return config;
  }

  public TrainConfig trainConfig() {
    return train;
  }

  /** Moves the step at which the discriminator starts (only the GAN schedule changes). */
  public void setDiscStart(int step) {
    config = config.withDiscStart(step);
  }

  /** Continues with learning rate {@code lr} (the Adam moments are kept); saved in checkpoints. */
  public void setLearningRate(double lr) {
    train = train.withLr(lr);
  }

  public Vqgan generator() {
    return generator;
  }

  PatchDiscriminator3d discriminator() {
    return discriminator;
  }

  Adam genAdam() {
    return genAdam;
  }

  Adam discAdam() {
    return discAdam;
  }

  /** The trainer's root manager (its arrays; a benchmark counts them to catch leaks). */
  public NDManager manager() {
    return root;
  }

  /** Steps taken so far. */
  public long step() {
    return step;
  }

  void setStep(long s) {
    step = s;
  }

  /** The random generator of step {@code s} (crops, code restarts). */
  static SplittableRandom randomForStep(long seed, long s) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + s);
  }

  /** One step on random crops of {@code volumes} (normalised, C channels each). */
  public VqganLosses step(List<Volume> volumes) {
    SplittableRandom r = randomForStep(config.seed(), step);
    int s = train.crop();
    float[] batch = Crops.sample(volumes, train.batch(), s, r);
    return step(batch, r);
  }

  /** One step on a given batch (B, C, S, S, S), S = the crop size. */
  VqganLosses step(float[] batch, SplittableRandom r) {
    int s = train.crop();
    boolean gan = step >= config.discStart();
    try (NDManager scope = root.newSubManager()) {
      NDArray x = scope.create(batch, new Shape(train.batch(), config.inChannels(), s, s, s));
      ParameterStore ps = new ParameterStore(scope, false);
      double rec;
      double vq;
      double ppl;
      double g = 0;
      double d = 0;
      double lambda = 0;
      NDArray xr;
      NDArray indices;
      NDArray ze;
      // generator: L_rec + L_vq (+ lambda L_GAN)
      try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
        NDList out = generator.forward(ps, new NDList(x), true);
        xr = out.get(0);
        indices = out.get(3);
        ze = out.get(4);
        NDArray lrec = Losses.l1(x, xr);
        if (config.gradWeight() > 0) {
          lrec = lrec.add(Losses.gradientL1(x, xr).mul((float) config.gradWeight()));
        }
        NDArray base = lrec.add(out.get(1));
        if (gan) {
          NDArray logits = discriminator.forward(ps, new NDList(xr), true).singletonOrThrow();
          NDArray lg = Losses.generatorAdversarial(logits);
          lambda = AdaptiveWeight.backward(base, lg, generator.decoder().lastLayerWeight(),
              genParams, config.discWeight(), scope);
          g = lg.getFloat();
        } else {
          Autograd.backward(base, false);
        }
        rec = lrec.getFloat();
        vq = out.get(1).getFloat();
        ppl = out.get(2).getFloat();
      }
      genAdam.step(train.lr(), scope);
      Autograd.zeroGrad(genParams);
      // discriminator: hinge on real crops vs detached reconstructions
      if (gan) {
        Autograd.zeroGrad(discParams);
        try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
          NDArray real = discriminator.forward(ps, new NDList(x), true).singletonOrThrow();
          NDArray fake = discriminator.forward(ps, new NDList(xr.stopGradient()), true)
              .singletonOrThrow();
          NDArray ld = Losses.discriminatorHinge(real, fake);
          Autograd.backward(ld, false);
          d = ld.getFloat();
        }
        discAdam.step(train.lr(), scope);
        Autograd.zeroGrad(discParams);
      }
      int restarts = train.restartPatience() == 0 ? 0
          : generator.quantizer().trackAndRestart(indices, ze, train.restartPatience(), r);
      step++;
      return new VqganLosses(step, rec, vq, ppl, g, d, lambda, restarts);
    }
  }

  /** Reconstructs each volume whole (tiled) and returns mean PSNR and SSIM against it. */
  public Validation validate(List<Volume> volumes) {
    double psnr = 0;
    double ssim = 0;
    for (Volume v : volumes) {
      Volume rec = TiledCoder.reconstruct(generator, root, v, train.tile(), train.overlap());
      double range = ErrorMetrics.referenceRange(v);
      psnr += ErrorMetrics.psnr(v, rec, range);
      ssim += Ssim.multiChannel(v, rec, range, SsimOptions.defaults());
    }
    return new Validation(step, psnr / volumes.size(), ssim / volumes.size());
  }

  /** What a training run reports as it goes (progress bars, logs). */
  /**
   * Trains until step {@code until}, validating on {@code val} every
   * {@link TrainConfig#validateEvery} steps and at the last step, and checkpointing into
   * {@code out} every {@link TrainConfig#checkpointEvery} steps and at the last;
   * {@code history} receives the validations and is saved with them.
   */
  public void run(List<Volume> volumes, List<Volume> val, long until, java.nio.file.Path out,
      com.google.gson.JsonObject meta, List<Validation> history, TrainingListener listener)
      throws java.io.IOException {
    while (step < until) {
      VqganLosses s = step(volumes);
      listener.onStep(new StepStats(s.step(), s.rec(), train.lr(), s.brief()));
      boolean last = s.step() == until;
      boolean validate = train.validateEvery() > 0 && s.step() % train.validateEvery() == 0
          || last;
      if (validate) {
        Validation v = validate(val);
        history.add(v);
        listener.onValidation(v.step(), v.describe());
      }
      if (last || s.step() % train.checkpointEvery() == 0) {
        Checkpoints.save(out, this, meta, history);
      }
    }
  }

  /** Refuses a training crop larger than the smallest side of the training volumes. */
  public static void requireCropFits(List<Volume> volumes, int crop) {
    Volume smallest = null;
    for (Volume v : volumes) {
      if (smallest == null || side(v) < side(smallest)) {
        smallest = v;
      }
    }
    if (smallest != null && crop > side(smallest)) {
      throw new BadArgumentException("VQ-GAN training crop: expected at most the smallest side"
          + " of the training volumes, " + side(smallest) + " voxels (" + smallest.grid()
          .shape() + "), found " + crop);
    }
  }

  private static int side(Volume v) {
    return Math.min(v.nx(), Math.min(v.ny(), v.nz()));
  }

  /** Mean PSNR (dB) and SSIM of reconstructions of held-out volumes at a step. */
  public record Validation(long step, double psnr, double ssim) {
    /** What it measured, for a log line. */
    public String describe() {
      return String.format(java.util.Locale.ROOT, "PSNR %.2f dB, SSIM %.4f (normalised scale)",
          psnr, ssim);
    }
  }

  @Override
  public void close() {
    root.close();
  }
}
