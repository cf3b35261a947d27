package org.noddildm.model.ldm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.Engines;
import org.noddildm.model.diffusion.Ema;
import org.noddildm.model.diffusion.GaussianDiffusion;
import org.noddildm.model.diffusion.TrainStep;
import org.noddildm.model.diffusion.TrainingDivergedException;
import org.noddildm.model.train.StepStats;
import org.noddildm.model.train.TrainingListener;
import org.noddildm.model.unet.Unet3d;
import org.noddildm.model.unet.UnetConfig;

/**
 * One latent diffusion training run on pairs of latents (NODDI latent as x_0, DWI latent as the
 * condition, both from their VQ-GAN encoders on the same grid): the U-Net, its EMA copy, Adam
 * and the step counter, and the loop with its validation and checkpoint cadence ({@link #run}).
 *
 * <p>Step k draws its crops, diffusion steps and noise from a generator seeded by (seed, k), so
 * that a run resumed from a checkpoint continues exactly as the uninterrupted run would have.
 */
public final class LdmTrainer implements AutoCloseable {
  private final LdmConfig config;
  private LdmTrainConfig train;
  private final NDManager root;
  private final Unet3d net;
  private final Unet3d emaNet;
  private final Ema ema;
  private final TrainStep trainStep;
  private final GaussianDiffusion diffusion;
  private long step;

  /** A fresh run: weights initialised from the U-Net config's seed. */
  public LdmTrainer(LdmConfig config, LdmTrainConfig train, Device device) {
    BadArgumentException.require(train.crop() % config.unet().sizeMultiple() == 0,
        "LDM training crop: expected a multiple of " + config.unet().sizeMultiple()
            + " (the U-Net halves " + (config.unet().levels() - 1) + " times), found "
            + train.crop());
    this.config = config;
    this.train = train;
    this.diffusion = config.diffusion();
    root = Engines.newManager(device);
    net = new Unet3d(config.unet());
    net.initialize(root, train.crop());
    emaNet = new Unet3d(config.unet());
    emaNet.initialize(root, train.crop());
    ema = new Ema(net, emaNet, train.emaDecay());
    trainStep = new TrainStep(net, diffusion, train.lr(), ema, root);
    trainStep.setNoiseLevels(train.levels());
  }

  /** Continues with learning rate {@code lr} (a lower rate to fine-tune); saved in checkpoints. */
  public void setLearningRate(double lr) {
    train = train.withLr(lr);
    trainStep.setLearningRate(lr);
  }

  public LdmConfig config() {
    return config;
  }

  public LdmTrainConfig trainConfig() {
    return train;
  }

  public long step() {
    return step;
  }

  void setStep(long s) {
    step = s;
  }

  /** The live network (trained by Adam). */
  public Unet3d net() {
    return net;
  }

  /** The averaged network, used for sampling. */
  public Unet3d emaNet() {
    return emaNet;
  }

  Ema ema() {
    return ema;
  }

  /** Steps skipped for a non-finite gradient since this trainer was made. */
  public long skippedSteps() {
    return trainStep.skippedSteps();
  }

  TrainStep trainStep() {
    return trainStep;
  }

  public GaussianDiffusion diffusion() {
    return diffusion;
  }

  NDManager manager() {
    return root;
  }

  /** Runs one optimizer step on random crops of {@code data}; returns its loss. */
  public double trainStep(List<LatentPair> data) {
    BadArgumentException.require(!data.isEmpty(), "LDM training: expected latent pairs, found "
        + "none");
    UnetConfig u = config.unet();
    int b = train.batch();
    int c = train.crop();
    SplittableRandom rng = new SplittableRandom(u.seed() * 0x9E3779B97F4A7C15L + step);
    float[] x0 = new float[b * u.channels() * c * c * c];
    float[] cond = new float[b * u.condChannels() * c * c * c];
    for (int i = 0; i < b; i++) {
      LatentPair p = data.get(rng.nextInt(data.size()));
      BadArgumentException.require(p.channels() == u.channels()
          && p.condChannels() == u.condChannels(), "latent pair: expected " + u.channels()
          + " + " + u.condChannels() + " channels, found " + p.channels() + " + "
          + p.condChannels());
      p.cropInto(c, rng, x0, cond, i);
    }
    double loss;
    try (NDManager sm = root.newSubManager()) {
      NDArray x = sm.create(x0, new Shape(b, u.channels(), c, c, c));
      NDArray k = sm.create(cond, new Shape(b, u.condChannels(), c, c, c));
      try {
        loss = trainStep.run(x, k, rng);
      } catch (TrainingDivergedException e) {
        throw new TrainingDivergedException("step " + (step + 1) + ": " + e.getMessage());
      }
    }
    step++;
    return loss;
  }

  /** Scores the run at its current step (typically the EMA network's samples). */
  public interface Validator {
    JsonObject validate(LdmTrainer trainer) throws IOException;

    /** What a record of {@link #validate} measured, for a log line. */
    String describe(JsonObject v);
  }

  /**
   * The training loop: steps on {@code pairs} until step {@code until}; every {@code
   * validateEvery} steps (0: only at the last) {@code validator}'s record is appended to
   * {@code meta}'s "validation"; every {@code checkpointEvery} steps and at the last, a
   * checkpoint into {@code out} with {@code meta} as its "data", whose "skippedSteps" counts the
   * steps skipped for a non-finite gradient over this run and the runs it resumed. Returns the
   * smoothed loss at the end (NaN if no step was taken).
   */
  public double run(List<LatentPair> pairs, long until, int validateEvery, Validator validator,
      Path out, JsonObject meta, TrainingListener listener) throws IOException {
    if (!meta.has("validation")) {
      meta.add("validation", new JsonArray());
    }
    long skippedBefore = (meta.has("skippedSteps") ? meta.get("skippedSteps").getAsLong() : 0)
        - skippedSteps();
    double avg = Double.NaN;
    while (step < until) {
      double loss = trainStep(pairs);
      avg = Double.isNaN(avg) ? loss : 0.98 * avg + 0.02 * loss;
      long skipped = skippedSteps();
      listener.onStep(new StepStats(step, avg, trainStep.learningRate(), skipped == 0 ? ""
          : String.format(java.util.Locale.ROOT, "loss %.5f lr %.2e, skipped %d (non-finite"
              + " gradients)", avg, trainStep.learningRate(), skipped)));
      if ((validateEvery > 0 && step % validateEvery == 0) || step == until) {
        JsonObject v = validator.validate(this);
        meta.getAsJsonArray("validation").add(v);
        listener.onValidation(step, validator.describe(v));
      }
      if (step % train.checkpointEvery() == 0 || step == until) {
        meta.addProperty("skippedSteps", skippedBefore + skippedSteps());
        LdmCheckpoints.save(out, this, meta);
      }
    }
    return avg;
  }

  @Override
  public void close() {
    root.close();
  }
}
