package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.app.options.GradientOptions;
import org.noddildm.app.options.SamplingOptions;
import org.noddildm.app.options.SeedOption;
import org.noddildm.app.options.ThreadOptions;
import org.noddildm.app.validate.HighResScans;
import org.noddildm.app.validate.ScanInputs;
import org.noddildm.app.validate.ScannerCheck;
import org.noddildm.app.validate.ValidationReport;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.OutputGuard;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.physics.degrade.KSpaceFilter;
import org.noddildm.core.provenance.Sha256;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.pipeline.FineTune;
import org.noddildm.model.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi validate}: the self-check on a user's own scanner ({@link ScannerCheck}) over a
 * BIDS dataset of high-resolution multi-shell scans or over single scans, with one table and
 * one page for all of them. Outputs are all-or-nothing.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Self-check on your own high-resolution multi-shell scans: each is made"
        + " into a short low-resolution scan the way a scanner would (k-space truncation, a"
        + " subset of well spread directions, noise to an SNR), every method predicts from it,"
        + " and each is scored against the NODDI fit of the full scan (a reference with its own"
        + " noise, estimated from two halves of the directions).",
        "Writes OUT/validate.json, OUT/index.html and per scan OUT/<scan>/ with the reference,"
            + " the short scan and each method's maps."})
public final class ValidateCommand implements Callable<Integer> {
  @Mixin
  HighResScans source = new HighResScans();

  @Option(names = "--mask", paramLabel = "FILE", description = "Brain mask of the (single)"
      + " --dwi scan (default: automatic, median Otsu of the mean b0).")
  Path mask;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--factor", defaultValue = "2", description = "Downsampling factor per axis"
      + " (default: ${DEFAULT-VALUE}).")
  int factor;

  @Option(names = "--directions", defaultValue = "30", paramLabel = "N", description = "Well"
      + " spread directions kept per shell (default: ${DEFAULT-VALUE}).")
  int directions;

  @Option(names = "--shells", split = ",", defaultValue = "1000,2000", paramLabel = "B",
      description = "b-values of the shells kept, nearest shell (default: ${DEFAULT-VALUE}).")
  double[] shells;

  @Option(names = "--b0", defaultValue = "4", paramLabel = "N",
      description = "b0 volumes kept (default: ${DEFAULT-VALUE}).")
  int b0;

  @Option(names = "--snr", defaultValue = "30", description = "b0 SNR of the noise added to"
      + " the short scan, relative to the scan's reference b0 (its own noise stays)"
      + " (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--kspace-filter", defaultValue = "none", paramLabel = "SPEC",
      description = "The short scan's reconstruction filter: none or apod=A,pf=P,axis=K"
          + " (as in degrade) (default: ${DEFAULT-VALUE}).")
  String kspaceFilter;

  @Option(names = "--methods", split = ",", defaultValue = "classic,a2,refine,ldm",
      paramLabel = "M", description = "Methods to score: classic (a), a2, refine, ldm"
          + " (default: ${DEFAULT-VALUE}; those the model lacks are skipped).")
  List<String> methods;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model directory (default: the pretrained model in this build).")
  Path model;

  @Option(names = "--force", description = "Replace the outputs of an earlier run in --out.")
  boolean force;

  @Mixin
  ThreadOptions threads = new ThreadOptions();

  @Mixin SamplingOptions sampling = new SamplingOptions();

  @Mixin SeedOption seedOption = new SeedOption();

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return threads.runModelWork(this::check);
  }

  /** The command's work, in the pool of --nthreads threads ({@link ThreadOptions}). */
  private Integer check() throws Exception {
    PrintWriter log = spec.commandLine().getErr();
    List<ScanInputs> scans = source.find();
    BadArgumentException.require(mask == null || source.singleFile(),
        "--mask: expected a single --dwi scan, found " + scans.size() + " scans");
    BadArgumentException.require(force || !Files.exists(out.resolve("validate.json")),
        "--out " + out + ": expected a new folder, found an earlier run's validate.json (use"
            + " --force to replace it)");
    List<ScannerCheck.Method> ms = new ArrayList<>();
    for (String m : methods) {
      ms.add(ScannerCheck.Method.parse(m));
    }
    ScannerCheck.Settings s = new ScannerCheck.Settings(factor, directions, shells, b0, snr,
        KSpaceFilter.parse(kspaceFilter), seedOption.get(), ms, sampling.samples(),
        sampling.steps());
    List<Path> inputs = new ArrayList<>(ScanInputs.files(scans));
    for (ScanInputs sc : scans) {
      if (sc.bval() == null) {
        inputs.addAll(source.gradients().files(sc.dwi()));
      }
    }
    Path dir = model != null ? model : ShippedModel.locate();
    List<ScannerCheck.ScanResult> results = new ArrayList<>();
    String settings = String.format(Locale.ROOT, "Short scan: factor %d, %d directions per"
        + " shell of b=%s, %d b0, %s; methods %s; model %s.", factor, directions,
        java.util.Arrays.toString(shells), b0, s.degradation().summary(), methods,
        model == null ? "shipped" : dir.getFileName());
    try (Predictor predictor = Predictor.open(dir, Engines.device(deviceOption.get()));
        OutputSet outs = OutputSet.begin(log::println)) {
      Set<String> trained = FineTune.trainingScans(dir);
      for (ScanInputs sc : scans) {
        BadArgumentException.require(!trained.contains(Sha256.hex(sc.dwi())), "scan " + sc.id()
            + ": expected a scan the model was not fine-tuned on, found one of its training"
            + " scans (same SHA-256); scoring it would flatter the model");
      }
      for (ScanInputs sc : scans) {
        OutputGuard.requireNoneIsInput(List.of(out.resolve(sc.id())), inputs);
        GradientOptions.Scan read = sc.read(source.gradients());
        GradientTable table = read.table();
        Volume dwi = read.image().volume();
        Volume m = mask == null ? null : NiftiReader.read(mask).volume();
        Path scanDir = out.resolve(sc.id());
        results.add(ScannerCheck.run(sc.id(), dwi, table, m, s, predictor,
            name -> outs.stage(scanDir.resolve(name)), line -> {
              log.println("validate: " + line);
              log.flush();
            }));
      }
      Map<String, Object> set = new LinkedHashMap<>();
      set.put("summary", settings);
      set.put("seed", seedOption.get());
      StrictJson.REPORT.write(outs.stage(out.resolve("validate.json")),
          ValidationReport.json(results, set));
      AtomicFiles.writeString(outs.stage(out.resolve("index.html")),
          ValidationReport.html(results, settings));
      outs.commit();
    }
    spec.commandLine().getOut().println("wrote " + out.resolve("index.html") + " and "
        + out.resolve("validate.json") + " (" + results.size() + " scan"
        + (results.size() == 1 ? "" : "s") + ")");
    return 0;
  }
}
