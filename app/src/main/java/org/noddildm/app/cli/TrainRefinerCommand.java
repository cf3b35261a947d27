package org.noddildm.app.cli;

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
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.data.HeldOutSplit;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.refine.RefinerConfig;
import org.noddildm.model.refine.RefinerExample;
import org.noddildm.model.refine.RefinerTrainConfig;
import org.noddildm.model.refine.RefinerTrainer;
import org.noddildm.model.train.CheckpointDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi train-refiner}: trains the anchored refiner (the classic fit upsampled plus a
 * learned correction) on paired datasets; the last subjects of each dataset are held out for
 * validation.
 */
@Command(name = "train-refiner", mixinStandardHelpOptions = true,
    defaultValueProvider = TrainRefinerCommand.Defaults.class,
    description = {"Train the anchored refiner: a residual 3D CNN on the low-res grid that"
        + " corrects the trilinear upsampling of the classic NODDI fit (noddi simulate datasets).",
        "Writes MODEL_DIR/model.json and one checkpoint; --resume continues a run."})
public final class TrainRefinerCommand implements Callable<Integer> {
  /** The defaults of the shape and schedule options: RefinerConfig's and RefinerTrainConfig's. */
  static final class Defaults extends RecordDefaults {
    @Override
    Map<String, Object> defaults() {
      RefinerConfig c = RefinerConfig.defaults();
      RefinerTrainConfig t = RefinerTrainConfig.defaults();
      return Map.of("--steps", t.steps(), "--lr", t.lr(), "--batch", t.batch(), "--width",
          c.width(), "--blocks", c.blocks(), "--seed", t.seed(), "--checkpoint-every",
          t.checkpointEvery());
    }
  }

  @Option(names = "--data", required = true, split = ",", paramLabel = "DIR",
      description = "Paired datasets (noddi simulate --out), comma-separated.")
  List<Path> data;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR", description = "Output.")
  Path out;

  @Option(names = "--hold-out", defaultValue = "1", paramLabel = "N",
      description = "Last subjects of each dataset kept for validation (default:"
          + " ${DEFAULT-VALUE}).")
  int holdOut;

  @Option(names = "--steps", description = "Optimizer steps (default:"
      + " ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--lr", description = "Peak learning rate, cosine"
      + " decay to a tenth (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--gradient-weight", paramLabel = "W", description = "Weight of the loss"
      + " on the maps' finite differences beside their squared error; it values edges, which"
      + " SSIM sees (default: 0, or the resumed run's).")
  Double gradientWeight;

  @Option(names = "--free-water-weight", paramLabel = "W", description = "Loss weight of NDI"
      + " and ODI where the true FWF >= 0.9 (not scored there; everything else in the brain"
      + " weighs 1) (default: 0.5, or the resumed run's).")
  Double freeWaterWeight;

  /** What NDI and ODI are trained towards where the true FWF >= 0.9. */
  enum FreeWaterTarget { truth, classic }

  @Option(names = "--free-water-target", paramLabel = "truth|classic", description = "Target"
      + " of NDI and ODI where the true FWF >= 0.9, where they are a convention of the phantom:"
      + " its values, or the classic estimate's (a correction of 0) (default: truth, or the"
      + " resumed run's).")
  FreeWaterTarget freeWaterTarget;

  @Option(names = "--batch", description = "Crops per step (default:"
      + " ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--width", description = "Hidden channels (default:"
      + " ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--blocks", description = "Residual blocks (default:"
      + " ${DEFAULT-VALUE}).")
  int blocks;

  @Option(names = "--seed", description = "Seed (default:"
      + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--checkpoint-every", paramLabel = "N",
      description = "Steps between checkpoints and validations (default: ${DEFAULT-VALUE}).")
  int every;

  @Option(names = "--resume", description = "Continue the run in MODEL_DIR (its config wins;"
      + " --steps may extend it; --lr, --gradient-weight, --free-water-weight and"
      + " --free-water-target may change it).")
  boolean resume;

  @Option(names = "--init", paramLabel = "MODEL_DIR|shipped", description = "Start from the"
      + " weights of this refiner (a train-refiner run, a model folder with a refiner part, or"
      + " 'shipped' for the model in this build) with a fresh optimizer: fine-tuning. Its"
      + " network settings win over --width and --blocks.")
  String init;

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** The refiner folder that {@code --init} names. */
  static Path initRefiner(String init) throws java.io.IOException {
    Path dir = init.equals("shipped") ? ShippedModel.extract() : Path.of(init);
    if (!RefinerCheckpoints.isRefiner(dir) && Files.isDirectory(dir.resolve(ModelBundle.REFINER))) {
      dir = dir.resolve(ModelBundle.REFINER);
    }
    BadArgumentException.require(RefinerCheckpoints.isRefiner(dir), "--init " + init
        + ": expected a refiner (a train-refiner run or a model folder with a refiner part),"
        + " found none");
    return dir;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    BadArgumentException.require(holdOut >= 1, "--hold-out: expected >= 1 (the validation"
        + " subjects choose the checkpoint), found " + holdOut);
    BadArgumentException.require(init == null || !resume, "expected --init (a new run from a"
        + " refiner's weights) or --resume (continue this run), found both");
    boolean exists = Files.exists(out.resolve(CheckpointDirectory.MODEL_JSON));
    BadArgumentException.require(resume == exists, resume ? "--resume: expected "
        + out.resolve(CheckpointDirectory.MODEL_JSON) + " from an earlier run, found none"
        : "--out: " + out + " already holds a model; use --resume or another directory");
    RefinerTrainConfig tc = resume
        ? RefinerCheckpoints.trainConfig(out, RefinerCheckpoints.readJson(out)).withSteps(steps)
        : RefinerTrainConfig.defaults().withSteps(steps).withLr(lr).withBatch(batch)
            .withSeed(seed).withIntervals(every, every);
    if (resume && spec.commandLine().getParseResult().hasMatchedOption("--lr")) {
      tc = tc.withLr(lr); // the cosine schedule continues, scaled to the new peak rate
    }
    if (gradientWeight != null) {
      tc = tc.withGradientWeight(gradientWeight);
    }
    if (freeWaterWeight != null) {
      tc = tc.withFreeWaterWeight(freeWaterWeight);
    }
    if (freeWaterTarget != null) {
      tc = tc.withKeepClassicInFreeWater(freeWaterTarget == FreeWaterTarget.classic);
    }
    RefinerTrainConfig config = tc;
    long t0 = System.nanoTime();
    HeldOutSplit<RefinerExample> split = HeldOutSplit.of(data, holdOut, 0, null,
        (d, s) -> RefinerExample.of(d, s, config));
    List<RefinerExample> train = split.train();
    List<RefinerExample> val = split.validation();
    JsonObject meta = new JsonObject();
    meta.add("datasets", split.datasets());
    pw.printf(Locale.ROOT, "train-refiner: %d training and %d validation subjects prepared"
        + " (classic fits) in %.1f s; %s%n", train.size(), val.size(),
        (System.nanoTime() - t0) / 1e9, Engines.describe());
    pw.flush();
    List<RefinerTrainer.Validation> history = new ArrayList<>();
    RefinerTrainer trainer;
    if (resume) {
      history.addAll(RefinerCheckpoints.history(RefinerCheckpoints.readJson(out)));
      trainer = RefinerCheckpoints.resume(out, Engines.device(deviceOption.get()));
      trainer.setTrainConfig(config);
    } else if (init != null) {
      Path from = initRefiner(init);
      trainer = RefinerCheckpoints.startFrom(from, config, Engines.device(deviceOption.get()));
      if (trainer.config().factor() != split.factor()) {
        int f = trainer.config().factor();
        trainer.close();
        throw new BadArgumentException("--init " + init + ": expected a refiner for the data's"
            + " factor " + split.factor() + ", found one for factor " + f);
      }
      meta.addProperty("initialised_from", init.equals("shipped") ? "shipped"
          : from.getFileName().toString());
    } else {
      RefinerConfig c = RefinerConfig.defaults().withWidth(width).withBlocks(blocks)
          .withFactor(split.factor());
      trainer = new RefinerTrainer(c, config, Engines.device(deviceOption.get()));
    }
    try (RefinerTrainer t = trainer;
        Progress p = new Progress("train-refiner", Math.max(0, steps - t.step()), "step")) {
      t.run(train, val, out, meta, history, TrainingLog.of(p, pw));
      pw.printf(Locale.ROOT, "wrote %s (step %d)%n", out.resolve(CheckpointDirectory.MODEL_JSON),
          t.step());
    }
    return 0;
  }
}
