package org.noddildm.app.bids;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.app.options.SamplingOptions;
import org.noddildm.app.options.SeedOption;
import org.noddildm.app.options.ThreadOptions;
import org.noddildm.core.BadArgumentException;
import org.noddildm.model.estimate.PredictOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the BIDS App's participant and group levels, as a picocli mixin, so that
 * {@code noddi bids} and the Spark job ({@code org.noddildm.spark.NoddiSpark}) take the same
 * options with the same defaults and help. The positional BIDS_DIR and OUTPUT_DIR stay with each
 * command: local paths for {@code noddi bids}, Hadoop filesystem URIs for Spark.
 */
public final class BidsArguments {
  @Option(names = {"--participant-label", "--participant_label"}, arity = "1..*",
      paramLabel = "LABEL",
      description = "Subjects to run (with or without sub-); default: all.")
  List<String> participants = new ArrayList<>();

  @Option(names = {"--session-label", "--session_label", "--session-id"}, arity = "1..*",
      paramLabel = "LABEL",
      description = "Sessions to run (with or without ses-); default: all.")
  List<String> sessions = new ArrayList<>();

  @Option(names = "--method", defaultValue = "both", paramLabel = "both|refine|ldm|classic",
      description = "both: the model's default deep estimate (the refiner) and the classic"
          + " pipeline; or one of them (default: ${DEFAULT-VALUE}).")
  BidsOptions.Method method;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model directory (default: the pretrained model in the jar).")
  Path model;

  /** --nthreads (also --n-cpus) and --omp-nthreads. */
  @Mixin
  ThreadOptions threads = new ThreadOptions();

  @Mixin SamplingOptions sampling = new SamplingOptions();

  @Mixin SeedOption seedOption = new SeedOption();

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Option(names = "--mem-gb", paramLabel = "GB",
      description = "Memory the job may use, in GB; a scan that needs more fails clearly, and a"
          + " Java heap larger than this is warned about.")
  Double memGb;

  @Option(names = {"--mem-mb", "--mem_mb", "--mem"}, paramLabel = "MB",
      description = "The same as --mem-gb, in MB (the BIDS-Apps spelling).")
  Double memMb;

  @Option(names = "--mask", defaultValue = "dataset", paramLabel = "dataset|auto|FILE",
      description = "Brain mask: dataset (default): the run's <stem>_desc-brain_mask beside it"
          + " (QSIPrep's) when there is one, else automatic; auto: median Otsu of the mean b0;"
          + " or one mask FILE on the scans' grid for every run (one subject).")
  String mask;

  @Option(names = "--force", description = "Redo subjects that are already complete.")
  boolean force;

  /** The settings that change the outputs, as the completion records and sidecars hold them. */
  public BidsOptions options() {
    return new BidsOptions(method, sampling.apply(PredictOptions.defaults().withMethod(
        PredictOptions.Method.CLASSIC), seedOption.get()), model == null ? "shipped"
        : model.toAbsolutePath().normalize().getFileName().toString(), deviceOption.get(),
        maskFile() == null ? mask : "file:" + maskFile().getFileName());
  }

  /** The mask of {@code --mask FILE}, or null for {@code dataset} and {@code auto}. */
  public Path maskFile() {
    if (mask == null || mask.equals("dataset") || mask.equals("auto")) {
      return null;
    }
    Path p = Path.of(mask);
    if (!java.nio.file.Files.isRegularFile(p)) {
      throw new org.noddildm.core.BadFileException(p, "--mask: expected dataset, auto or a mask"
          + " file, found no such file");
    }
    return p.toAbsolutePath().normalize();
  }

  public List<String> participants() {
    return List.copyOf(participants);
  }

  public List<String> sessions() {
    return List.copyOf(sessions);
  }

  /** The model folder, or null for the model in the jar. */
  public Path model() {
    return model;
  }

  public String device() {
    return deviceOption.get();
  }

  /** --nthreads (--n-cpus), or null when not given. */
  public Integer nCpus() {
    return threads.nthreads();
  }

  /** The thread options, for PyTorch's threads and the Java pool. */
  public ThreadOptions threads() {
    return threads;
  }

  /** The job's memory in GB from --mem-gb or --mem-mb, or null when neither is given. */
  public Double memGb() {
    BadArgumentException.require(memGb == null || memMb == null, "--mem-gb/--mem-mb: expected"
        + " one of them, found both");
    if (memMb != null) {
      BadArgumentException.require(memMb > 0, "--mem-mb: expected > 0, found " + memMb);
      return memMb / 1024.0;
    }
    if (memGb != null) {
      BadArgumentException.require(memGb > 0, "--mem-gb: expected > 0, found " + memGb);
    }
    return memGb;
  }

  public boolean force() {
    return force;
  }
}
