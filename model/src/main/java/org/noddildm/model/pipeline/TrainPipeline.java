package org.noddildm.model.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.data.DatasetSubject;
import org.noddildm.model.data.HeldOutSplit;
import org.noddildm.model.data.Target;
import org.noddildm.model.ldm.LdmCheckpoints;
import org.noddildm.model.ldm.LdmTrainConfig;
import org.noddildm.model.ldm.LdmTrainer;
import org.noddildm.model.refine.Refiner;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.refine.RefinerConfig;
import org.noddildm.model.refine.RefinerExample;
import org.noddildm.model.refine.RefinerTrainConfig;
import org.noddildm.model.refine.RefinerTrainer;
import org.noddildm.model.residual.ResidualLdmRun;
import org.noddildm.model.residual.VqganLatent;
import org.noddildm.model.train.CheckpointDirectory;
import org.noddildm.model.train.Checkpoints;
import org.noddildm.model.train.StepStats;
import org.noddildm.model.train.TrainConfig;
import org.noddildm.model.train.TrainingListener;
import org.noddildm.model.train.VqganTrainer;
import org.noddildm.model.unet.UnetConfig;
import org.noddildm.model.vqgan.Vqgan;
import org.noddildm.model.vqgan.VqganConfig;

/**
 * Trains the model that ships, in one process, into one model directory that {@link
 * ModelBundle#open} reads: the NODDI VQ-GAN ({@value #VQGAN}/), the refiner
 * ({@value ModelBundle#REFINER}/, the default estimate) and the diffusion model built on the
 * refiner ({@value #LDM}/). Each part trains in its trainer's loop, with its validation and
 * checkpoints; a fine-tuning phase lowers the learning rate in place, so nothing is read or
 * encoded twice. A part whose folder already holds a run is resumed from its last checkpoint,
 * and one that has reached its steps is kept as it is.
 *
 * <p>The VQ-GAN and the refiner learn from {@code data}; the diffusion model learns from
 * {@code ldmData}, which should be subjects the refiner never saw, so that the refiner's errors
 * on them look like its errors on new scans. In every dataset the last {@link
 * Config#holdOut} subjects are held out for validation.
 */
public final class TrainPipeline {
  /** The NODDI VQ-GAN's folder. */
  public static final String VQGAN = "vqgan-noddi";
  /** The diffusion model's folder. */
  public static final String LDM = "ldm";

  /**
   * Everything the pipeline trains and how.
   *
   * @param vqgan the NODDI VQ-GAN (its input channels are set to the 3 maps)
   * @param vqganTrain its training; {@code steps} at {@code lr}
   * @param vqganFinetune further VQ-GAN steps at {@code finetuneLr} (0: none)
   * @param refiner the refiner (its factor is set from the data)
   * @param refinerTrain its training (cosine schedule over its steps)
   * @param unet the U-Net of the diffusion model (its channels are set from the latents)
   * @param ldmTrain its training; {@code steps} at {@code lr}
   * @param ldmFinetune further diffusion steps at {@code finetuneLr} (0: none)
   * @param finetuneLr learning rate of the fine-tuning phases
   * @param holdOut subjects held out at the end of each dataset
   * @param validateSteps DDIM steps of the diffusion model's validation samples
   * @param validateEvery diffusion steps between validations (0: only at the end)
   */
  public record Config(VqganConfig vqgan, TrainConfig vqganTrain, int vqganFinetune,
      RefinerConfig refiner, RefinerTrainConfig refinerTrain, UnetConfig unet,
      LdmTrainConfig ldmTrain, int ldmFinetune, double finetuneLr, int holdOut,
      int validateSteps, int validateEvery) {
    public Config {
      BadArgumentException.require(vqganFinetune >= 0 && ldmFinetune >= 0, "fine-tuning steps:"
          + " expected >= 0, found " + vqganFinetune + " and " + ldmFinetune);
      BadArgumentException.require(finetuneLr > 0 && finetuneLr < 1, "fine-tuning learning"
          + " rate: expected in (0, 1), found " + finetuneLr);
      BadArgumentException.require(holdOut >= 1, "held-out subjects per dataset: expected >= 1,"
          + " found " + holdOut);
      BadArgumentException.require(validateSteps >= 1 && validateEvery >= 0, "diffusion"
          + " validation: expected >= 1 DDIM steps and an interval >= 0, found "
          + validateSteps + " and " + validateEvery);
    }
  }

  /** What the pipeline reports as it goes (a CLI prints it; tests may record it). */
  public interface Listener {
    /** Part {@code k} of {@code n} starts. */
    void onPart(int k, int n, String what);

    /** A step of the current part: {@code done} of {@code total} steps of this phase. */
    void onStep(long done, long total, String status);

    /** A line to show: validations, phase changes, what was kept. */
    void onMessage(String line);
  }

  private final Config config;
  private final Device device;

  public TrainPipeline(Config config, Device device) {
    this.config = config;
    this.device = device;
  }

  /**
   * Trains every part into {@code out} and writes its model.json; returns the model directory.
   * {@code provenance} is stored as the model's "training" entry.
   */
  public Path run(List<Path> data, List<Path> ldmData, Path out, JsonObject provenance,
      Listener listener) throws IOException {
    Files.createDirectories(out);
    listener.onPart(1, 3, "VQ-GAN of the high-res NODDI maps");
    trainVqgan(data, out.resolve(VQGAN), listener);
    listener.onPart(2, 3, "refiner: the classic fit upsampled plus a learned correction");
    trainRefiner(data, out.resolve(ModelBundle.REFINER), listener);
    listener.onPart(3, 3, "diffusion model on top of the refiner");
    trainResidualLdm(ldmData, out, listener);
    ModelBundle.write(out, true, false, provenance);
    return out;
  }

  private void trainVqgan(List<Path> data, Path dir, Listener listener) throws IOException {
    HeldOutSplit<Volume> split = HeldOutSplit.of(data, config.holdOut(), 0, null,
        (d, s) -> new DatasetSubject(d, s).noddi());
    List<Volume> val = split.validationOrTrain();
    VqganTrainer.requireCropFits(split.train(), config.vqganTrain().crop());
    boolean resume = Files.exists(dir.resolve(Checkpoints.MODEL_JSON));
    List<VqganTrainer.Validation> history = new ArrayList<>();
    JsonObject meta;
    VqganTrainer trainer;
    if (resume) {
      JsonObject json = Checkpoints.readJson(dir);
      meta = json.getAsJsonObject("data");
      history.addAll(Checkpoints.history(json));
      trainer = Checkpoints.resume(dir, device);
    } else {
      trainer = new VqganTrainer(config.vqgan().withInChannels(3), config.vqganTrain(), device);
      meta = Target.NODDI.dataEntry(3, null, split.datasets());
    }
    long main = config.vqganTrain().steps();
    long total = main + config.vqganFinetune();
    try (VqganTrainer t = trainer) {
      TrainingListener l = part(listener, "VQ-GAN", total);
      kept(listener, "VQ-GAN", t.step(), total);
      if (t.step() < main) {
        t.run(split.train(), val, main, dir, meta, history, l);
      }
      if (t.step() < total) {
        fineTune(listener, "VQ-GAN", t.trainConfig().lr(), t.step());
        t.setLearningRate(config.finetuneLr());
        t.run(split.train(), val, total, dir, meta, history, l);
      }
    }
  }

  /**
   * The trainers' listener of one part: steps as the pipeline's progress over {@code total},
   * validations as a line naming the part.
   */
  private static TrainingListener part(Listener listener, String name, long total) {
    return new TrainingListener() {
      @Override
      public void onStep(StepStats s) {
        listener.onStep(s.step(), total, s.brief());
      }

      @Override
      public void onValidation(long step, String summary) {
        listener.onMessage(String.format(Locale.ROOT, "%s validation at step %d: %s", name, step,
            summary));
      }
    };
  }

  private void trainRefiner(List<Path> data, Path dir, Listener listener) throws IOException {
    boolean resume = Files.exists(dir.resolve(CheckpointDirectory.MODEL_JSON));
    RefinerTrainer trainer = resume ? RefinerCheckpoints.resume(dir, device) : null;
    try {
      RefinerTrainConfig tc = resume ? trainer.trainConfig() : config.refinerTrain();
      HeldOutSplit<RefinerExample> split = HeldOutSplit.of(data, config.holdOut(), 0, null,
          (d, s) -> RefinerExample.of(d, s, tc));
      List<RefinerTrainer.Validation> history = new ArrayList<>();
      if (resume) {
        history.addAll(RefinerCheckpoints.history(RefinerCheckpoints.readJson(dir)));
      } else {
        trainer = new RefinerTrainer(config.refiner().withFactor(split.factor()),
            config.refinerTrain(), device);
      }
      JsonObject meta = new JsonObject();
      meta.add("datasets", split.datasets());
      RefinerTrainer t = trainer;
      long total = t.trainConfig().steps();
      kept(listener, "refiner", t.step(), total);
      t.run(split.train(), split.validation(), dir, meta, history, part(listener, "refiner",
          total));
    } finally {
      if (trainer != null) {
        trainer.close();
      }
    }
  }

  private void trainResidualLdm(List<Path> data, Path out, Listener listener)
      throws IOException {
    Path dir = out.resolve(LDM);
    Path refinerDir = out.resolve(ModelBundle.REFINER);
    Path vqganDir = out.resolve(VQGAN);
    boolean resume = Files.exists(dir.resolve(LdmCheckpoints.MODEL_JSON));
    try (NDManager m = Engines.newManager(device)) {
      Refiner refiner = RefinerCheckpoints.load(refinerDir, m);
      Vqgan noddi = Checkpoints.loadGenerator(vqganDir, m);
      long main = config.ldmTrain().steps();
      long total = main + config.ldmFinetune();
      try (ResidualLdmRun.Session s = ResidualLdmRun.open(data, config.holdOut(), refiner,
          refinerDir, new VqganLatent(noddi), vqganDir, true, config.unet(), config.ldmTrain(),
          config.validateEvery(), config.validateSteps(), config.unet().seed(), dir, resume,
          null, device, m)) {
        LdmTrainer t = s.trainer();
        TrainingListener l = part(listener, "diffusion", total);
        kept(listener, "diffusion model", t.step(), total);
        if (t.step() < main) {
          s.run().run(t, main, dir, s.meta(), m, l);
        }
        if (t.step() < total) {
          fineTune(listener, "diffusion model", t.trainConfig().lr(), t.step());
          t.setLearningRate(config.finetuneLr());
          s.run().run(t, total, dir, s.meta(), m, l);
        }
      }
    }
  }

  private static void kept(Listener listener, String part, long step, long total) {
    if (step >= total) {
      listener.onMessage(part + ": kept as it is (step " + step + " of " + total + ")");
    } else if (step > 0) {
      listener.onMessage(part + ": resumed at step " + step + " of " + total);
    }
  }

  private void fineTune(Listener listener, String part, double from, long step) {
    listener.onMessage(String.format(Locale.ROOT, "%s: fine-tuning, learning rate %s -> %s"
        + " from step %d", part, from, config.finetuneLr(), step));
  }
}
