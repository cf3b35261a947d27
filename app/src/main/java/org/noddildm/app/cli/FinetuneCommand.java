package org.noddildm.app.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.console.TrainingLog;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.app.options.GradientOptions;
import org.noddildm.app.options.SeedOption;
import org.noddildm.app.options.ThreadOptions;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.app.validate.HighResScans;
import org.noddildm.app.validate.ScanInputs;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.physics.dataset.ScanPairs;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.pipeline.FineTune;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.refine.RefinerTrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi finetune}: fine-tunes a model's refiner on a user's own high-resolution scans
 * ({@link ScanPairs} makes the paired data, {@link FineTune} trains and exports). Some scans are
 * held out for validation; {@code noddi validate --model OUT} then scores the new model on
 * scans it was not trained on, and refuses its training scans.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
    description = {"Fine-tune the model on your own high-resolution multi-shell scans: each"
        + " training scan gives several short low-resolution scans made the way a scanner"
        + " would (k-space, drawn directions, b0s, SNR and filters) whose target is the NODDI"
        + " fit of the full scan; the refiner is trained from the model's weights and the"
        + " result is a model folder for predict/bids/validate --model.",
        "Held out (--validation-scans, default the last scan): validation only; check the new model"
            + " with noddi validate --model OUT on scans it was not trained on."})
public final class FinetuneCommand implements Callable<Integer> {
  @Mixin
  HighResScans source = new HighResScans();

  @Option(names = "--validation-scans", split = ",", paramLabel = "SCAN", description = "Scans held"
      + " out for validation, by name or participant label (default: the last scan).")
  List<String> holdOut;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
      description = "The fine-tuned model (a new folder).")
  Path out;

  @Option(names = {"-w", "--work-dir", "--work"}, paramLabel = "DIR",
      description = "Folder for the paired data and the training run (default:"
          + " MODEL_DIR.work).")
  Path work;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model to start from (default: the pretrained model in this build).")
  Path model;

  @Option(names = "--copies", defaultValue = "4", paramLabel = "N", description = "Short scans"
      + " made from each training scan (default: ${DEFAULT-VALUE}).")
  int copies;

  @Option(names = "--steps", defaultValue = "600", description = "Optimizer steps"
      + " (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--lr", defaultValue = "3e-4", description = "Peak learning rate, cosine to"
      + " a tenth (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "N",
      description = "Steps between checkpoints and validations (default: ${DEFAULT-VALUE}).")
  int every;

  @Mixin
  ThreadOptions threads = new ThreadOptions();

  @Mixin SeedOption seedOption = new SeedOption();

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return threads.runModelWork(this::fineTune);
  }

  /** The command's work, in the pool of --nthreads threads ({@link ThreadOptions}). */
  private Integer fineTune() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    List<ScanInputs> scans = source.find();
    BadArgumentException.require(scans.size() >= 2, "scans: expected at least 2 (one to train"
        + " on, one held out), found " + scans.size());
    List<ScanInputs> train = new ArrayList<>();
    List<ScanInputs> held = new ArrayList<>();
    for (int i = 0; i < scans.size(); i++) {
      ScanInputs s = scans.get(i);
      boolean h = holdOut == null ? i == scans.size() - 1 : holdOut.stream().anyMatch(
          w -> s.id().equals(w) || s.id().startsWith(w.startsWith("sub-") ? w + "_"
              : "sub-" + w + "_"));
      (h ? held : train).add(s);
    }
    BadArgumentException.require(!held.isEmpty() && !train.isEmpty(), "--validation-scans: expected"
        + " to hold out some of the scans and train on the others, found " + held.size()
        + " held out of " + scans.size());
    Path base = model != null ? model : ShippedModel.locate();
    Path w = work != null ? work : out.resolveSibling(out.getFileName() + ".work");
    BadArgumentException.require(!Files.exists(out), "--out " + out + ": expected a new"
        + " folder, found one already there");
    BadArgumentException.require(!Files.exists(w.resolve("train-data")), "--work-dir " + w
        + ": expected a new folder, found an earlier fine-tune's data there");
    Path from = FineTune.refinerOf(base);
    RefinerTrainConfig config = RefinerCheckpoints.trainConfig(from,
        RefinerCheckpoints.readJson(from)).withSteps(steps).withLr(lr).withSeed(seedOption.get())
        .withIntervals(every, every);
    ScanPairs.Settings ps = ScanPairs.Settings.defaults(seedOption.get());
    ScanPairs.Settings one = new ScanPairs.Settings(ps.factor(), 1, ps.minDirections(),
        ps.maxDirections(), ps.shells(), ps.minSnr(), ps.maxSnr(), seedOption.get() + 1);
    ps = new ScanPairs.Settings(ps.factor(), copies, ps.minDirections(), ps.maxDirections(),
        ps.shells(), ps.minSnr(), ps.maxSnr(), seedOption.get());
    pw.printf(Locale.ROOT, "finetune: %d training scans (%d short scans each), %d held out:"
        + " %s%n", train.size(), copies, held.size(), held.stream().map(ScanInputs::id)
        .toList());
    pw.flush();
    makeData(w.resolve("train-data"), train, ps, pw);
    makeData(w.resolve("heldout-data"), held, one, pw);
    JsonObject prov = new JsonObject();
    prov.addProperty("note", "fine-tuned by noddi finetune on " + train.size() + " scans");
    prov.addProperty("base", model == null ? "shipped" : base.getFileName().toString());
    pw.println("finetune: validation scores the held-out scans against the fit of their full"
        + " scan (their truth here)");
    pw.flush();
    FineTune.run(base, w.resolve("train-data"), w.resolve("heldout-data"), config,
        Engines.device(deviceOption.get()), w.resolve("run"), out, prov,
        TrainingLog.of(null, pw));
    pw.println("wrote " + out + " (use it with predict/bids/validate --model " + out + ")");
    return 0;
  }

  private void makeData(Path dir, List<ScanInputs> scans, ScanPairs.Settings s,
      PrintWriter pw) throws java.io.IOException {
    ScanPairs.Writer wr = new ScanPairs.Writer(dir, s, BuildInfo.current().software(), line -> {
      pw.println("finetune: " + line);
      pw.flush();
    });
    for (ScanInputs sc : scans) {
      GradientOptions.Scan read = sc.read(source.gradients());
      wr.add(sc.load(read.image().volume(), read.table(), null));
    }
    wr.finish();
    PairedDataset.open(dir); // checks every subject's files
  }
}
