package org.noddildm.app.cli;

import ai.djl.Device;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.noddildm.app.console.Progress;
import org.noddildm.app.console.TrainingLog;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.data.DatasetSubject;
import org.noddildm.model.data.DwiCondition;
import org.noddildm.model.data.HeldOutSplit;
import org.noddildm.model.data.Target;
import org.noddildm.model.train.Checkpoints;
import org.noddildm.model.train.TrainConfig;
import org.noddildm.model.train.VqganTrainer;
import org.noddildm.model.vqgan.VqganConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code noddi train-vqgan}: trains the 3D VQ-GAN autoencoder on a paired dataset. */
@Command(name = "train-vqgan", mixinStandardHelpOptions = true,
    defaultValueProvider = TrainVqganCommand.Defaults.class,
    description = {"Train the 3D VQ-GAN autoencoder on random crops of a paired dataset's"
        + " high-res NODDI maps (--target noddi) or the low-res DMRI (--target dwi) as per-shell"
        + " spherical-harmonic features resampled to the high-res grid.",
        "Writes MODEL_DIR/model.json and the latest checkpoint; --resume continues exactly"
            + " where the last checkpoint left off (e.g. after a kill)."})
public final class TrainVqganCommand implements Callable<Integer> {
  /** The defaults of the shape and schedule options: those of VqganConfig and TrainConfig. */
  static final class Defaults extends RecordDefaults {
    @Override
    Map<String, Object> defaults() {
      VqganConfig c = VqganConfig.defaults(1);
      TrainConfig t = TrainConfig.defaults();
      return Map.ofEntries(Map.entry("--steps", t.steps()), Map.entry("--batch", t.batch()),
          Map.entry("--crop", t.crop()), Map.entry("--lr", t.lr()),
          Map.entry("--checkpoint-every", t.checkpointEvery()),
          Map.entry("--validate-every", t.validateEvery()), Map.entry("--seed", c.seed()),
          Map.entry("--width", c.baseWidth()), Map.entry("--down-factor", c.downFactor()),
          Map.entry("--latent-dim", c.latentDim()), Map.entry("--codebook", c.codebookSize()),
          Map.entry("--code-groups", c.codeGroups()), Map.entry("--disc-start", c.discStart()));
    }
  }

  @Option(names = "--data", required = true, split = ",", paramLabel = "DIR",
      description = "Paired datasets (sub-0001/, sub-0002/, ... as written by noddi simulate),"
          + " comma-separated; the last tenth of the smallest one's subjects is held out of"
          + " each. --target dwi takes one.")
  List<Path> data;

  @Option(names = "--target", required = true, paramLabel = "noddi|dwi",
      description = "What to autoencode: noddi (3 maps) or dwi (the low-res scan).")
  String target;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
      description = "Model directory to write (model.json + checkpoint).")
  Path out;

  @Option(names = "--steps", paramLabel = "N", description = "Total training steps (default:"
      + " ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch", paramLabel = "N", description = "Crops per step (default:"
      + " ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--crop", paramLabel = "VOXELS", description = "Side of the cubic training"
      + " crops, a multiple of 4 (default: ${DEFAULT-VALUE}).")
  int crop;

  @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (default:"
      + " ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of weights, crops and code"
      + " restarts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--width", paramLabel = "N", description = "Base channel width (default:"
      + " ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--down-factor", paramLabel = "F", description = "Spatial downsampling of the"
      + " latent per axis, a power of two (default: ${DEFAULT-VALUE}).")
  int downFactor;

  @Option(names = "--latent-dim", paramLabel = "N", description = "Latent channels = codebook"
      + " vector length (default: ${DEFAULT-VALUE}).")
  int latentDim;

  @Option(names = "--codebook", paramLabel = "K", description = "Codebook entries (default:"
      + " ${DEFAULT-VALUE}).")
  int codebook;

  @Option(names = "--code-groups", paramLabel = "G", description = "Latent channel groups, each"
      + " quantized on its own with the shared codebook (product quantization; 1 = one code per"
      + " latent voxel; default: ${DEFAULT-VALUE}).")
  int codeGroups;

  @Option(names = "--disc-start", paramLabel = "STEP", description = "Step at which the"
      + " discriminator starts (default: ${DEFAULT-VALUE}).")
  int discStart;

  @Option(names = "--checkpoint-every", paramLabel = "N",
      description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--validate-every", paramLabel = "N",
      description = "Steps between validations on held-out subjects; 0: only at the end"
          + " (default: ${DEFAULT-VALUE}).")
  int validateEvery;

  @Option(names = "--resume", description = "Continue the run in MODEL_DIR from its last"
      + " checkpoint (its config wins over the shape options given here; --lr and"
      + " --disc-start, when given, change the learning rate and the discriminator's start).")
  boolean resume;

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** The one dataset of --target dwi, whose features are defined by its protocol. */
  private static Path single(List<Path> data) {
    BadArgumentException.require(data.size() == 1, "--data: --target dwi expected one dataset"
        + " (the features follow its protocol), found " + data.size());
    return data.get(0);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    Target t = Target.parse(target);
    boolean exists = Files.exists(out.resolve(Checkpoints.MODEL_JSON));
    DwiCondition cond = t != Target.DWI ? null : resume && exists ? DwiCondition.readFrom(
        Checkpoints.readJson(out).getAsJsonObject("data"), out)
        : DwiCondition.forDataset(PairedDataset.openForTraining(single(data)));
    HeldOutSplit<Volume> split = HeldOutSplit.lastTenth(data, (d, s) -> cond == null
        ? new DatasetSubject(d, s).noddi() : new DatasetSubject(d, s).features(cond));
    int channels = split.train().get(0).nt();
    VqganTrainer.requireCropFits(split.train(), crop);
    Device dev = Engines.device(deviceOption.get());
    VqganTrainer trainer;
    List<VqganTrainer.Validation> history = new ArrayList<>();
    JsonObject meta;
    if (resume) {
      BadArgumentException.require(exists, "--resume: expected " + out.resolve(
          Checkpoints.MODEL_JSON) + " from an earlier run, found none");
      JsonObject json = Checkpoints.readJson(out);
      meta = json.getAsJsonObject("data");
      String was = meta.has("target") ? meta.get("target").getAsString() : "?";
      BadArgumentException.require(was.equals(t.label()), "--target: the run in " + out
          + " was trained on " + was + ", found --target " + t.label());
      history.addAll(Checkpoints.history(json));
      trainer = Checkpoints.resume(out, dev);
      if (spec.commandLine().getParseResult().hasMatchedOption("--lr")
          && lr != trainer.trainConfig().lr()) {
        // a lower rate to fine-tune: recorded in model.json's train config from now on
        spec.commandLine().getOut().printf(java.util.Locale.ROOT, "resume: learning rate %s ->"
            + " %s from step %d%n", trainer.trainConfig().lr(), lr, trainer.step());
        trainer.setLearningRate(lr);
      }
      if (spec.commandLine().getParseResult().hasMatchedOption("--disc-start")
          && discStart != trainer.config().discStart()) {
        spec.commandLine().getOut().printf(java.util.Locale.ROOT, "resume: discriminator start"
            + " %d -> %d%n", trainer.config().discStart(), discStart);
        trainer.setDiscStart(discStart);
      }
      BadArgumentException.require(trainer.config().inChannels() == channels, "data: the run"
          + " expects " + trainer.config().inChannels() + " channels, found " + channels);
    } else {
      BadArgumentException.require(!exists, "--out: " + out + " already holds a model; use"
          + " --resume to continue it or choose another directory");
      VqganConfig c = VqganConfig.defaults(channels).withWidth(width).withDownFactor(downFactor)
          .withLatent(latentDim, codebook, codeGroups).withDiscStart(discStart).withSeed(seed);
      TrainConfig tc = TrainConfig.forCrops(steps, batch, crop, lr, checkpointEvery,
          validateEvery, c.downFactor());
      trainer = new VqganTrainer(c, tc, dev);
      meta = t.dataEntry(channels, cond, split.datasets());
    }
    try (VqganTrainer tr = trainer) {
      int held = split.validation().size();
      pw.printf(Locale.ROOT, "train-vqgan: %s on %d subjects (%d held out%s), %d channels,"
          + " %s, %s%n", t.label(), split.train().size(), held, held == 0 ? ": validating on"
          + " the training subject" : "", channels, Engines.describe(), dev);
      pw.flush();
      try (Progress p = new Progress("train-vqgan", Math.max(0, steps - tr.step()), "step")) {
        tr.run(split.train(), split.validationOrTrain(), steps, out, meta, history,
            TrainingLog.of(p, pw));
      }
      pw.printf(Locale.ROOT, "wrote %s (step %d)%n", out.resolve(Checkpoints.MODEL_JSON),
          tr.step());
    }
    return 0;
  }
}
