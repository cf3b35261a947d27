package org.noddildm.app.bids;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.NoddiException;
import org.noddildm.core.io.StrictJson;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code noddi bids BIDS_DIR OUTPUT_DIR participant|group}: the BIDS App. The participant level
 * makes BIDS-Derivatives of every diffusion run of the chosen subjects, one subject at a time,
 * each complete or absent ({@link ParticipantRunner}); the group level summarises the finished
 * runs in one cohort table ({@link GroupTable}). A failing subject never stops the others; the
 * exit code is 1 when any failed.
 */
@Command(name = "bids", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"BIDS App: NODDI maps (NDI, ODI, FWF) of every diffusion run of a BIDS"
        + " dataset as BIDS-Derivatives (QSIRecon-style names, JSON sidecars), and a cohort"
        + " table at the group level.",
        "Subjects already complete with the same settings, model and inputs are skipped;"
            + " failures are listed in OUTPUT_DIR/failures.tsv, logs in OUTPUT_DIR/logs/."})
public final class BidsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BIDS_DIR", description = "The BIDS dataset (input).")
  Path bidsDir;

  @Parameters(index = "1", paramLabel = "OUTPUT_DIR", description = "Where the derivatives go;"
      + " not inside BIDS_DIR except under BIDS_DIR/derivatives/.")
  Path outputDir;

  /** The BIDS-Apps analysis levels. */
  enum Level { participant, group }

  @Parameters(index = "2", paramLabel = "participant|group", description = "Analysis level.")
  Level level;

  @Mixin
  BidsArguments args = new BidsArguments();

  @Option(names = {"--skip-bids-validation", "--skip_bids_validation"},
      description = "Do not check BIDS_DIR with the BIDS validator before the participant level"
          + " (checked by default when a validator is installed).")
  boolean skipValidation;

  @Option(names = {"-w", "--work-dir", "--work_dir"}, paramLabel = "DIR",
      description = "Scratch folder (default: OUTPUT_DIR/.work); not inside BIDS_DIR.")
  Path workDir;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path bids = bidsDir.toAbsolutePath().normalize();
    Path outRoot = outputDir.toAbsolutePath().normalize();
    checkOutputPlace(bids, outRoot);
    Path scratch = scratch(bids, outRoot);
    checkResources(out);
    if (level == Level.group) {
      BadArgumentException.require(Files.isDirectory(outRoot), "group: expected the"
          + " participant level's OUTPUT_DIR, found no folder " + outRoot);
      int rows = GroupTable.write(outRoot);
      int failed = FailureList.read(outRoot.resolve(FailureList.FILE)).size();
      out.printf(Locale.ROOT, "bids group: %d row(s) in %s (%d failed subject(s)), dictionary"
          + " %s%n", rows, GroupTable.TSV, failed, GroupTable.JSON);
      out.flush();
      return failed > 0 ? 1 : 0;
    }
    List<String> participants = args.participants();
    List<String> sessions = args.sessions();
    List<DwiRun> runs = BidsLayout.find(bids, participants, sessions);
    BadArgumentException.require(!runs.isEmpty(), "expected diffusion runs"
        + " (sub-*/[ses-*/]dwi/*_dwi.nii[.gz]) in " + bids + (participants.isEmpty() ? ""
            : " for " + participants) + (sessions.isEmpty() ? "" : " sessions " + sessions)
        + ", found none");
    // after the cheap checks of the labels and layout, before any output
    if (skipValidation) {
      out.println("bids: BIDS validation skipped (--skip-bids-validation)");
    } else {
      out.println("bids: " + BidsValidation.validate(bids));
    }
    out.flush();
    Map<String, List<DwiRun>> bySubject = new LinkedHashMap<>();
    runs.forEach(r -> bySubject.computeIfAbsent(r.subject(), k -> new ArrayList<>()).add(r));
    Files.createDirectories(outRoot);
    Path dir = args.model() != null ? args.model() : ShippedModel.locate();
    BidsOptions options = args.options();
    List<ParticipantRunner.Outcome> outcomes = new ArrayList<>();
    ForkJoinPool pool = new ForkJoinPool(args.threads().javaThreads());
    try (Predictor predictor = Predictor.open(dir, Engines.device(args.device()))) {
      ModelIdentity identity = ModelIdentity.of(dir); // after open, which checks the folder
      writeDatasetDescription(outRoot, rawLink(bids, outRoot), identity);
      out.printf(Locale.ROOT, "bids participant: %d subject(s), %d run(s), method %s, model %s"
          + "%n", bySubject.size(), runs.size(), options.method(), identity.id());
      out.flush();
      RunProcessor processor = new RunProcessor(bids, options, predictor, identity,
          args.memGb(), args.maskFile());
      ParticipantRunner runner = new ParticipantRunner(outRoot, scratch, processor, options,
          identity.id(), pool);
      for (Map.Entry<String, List<DwiRun>> e : bySubject.entrySet()) {
        outcomes.add(runner.run(e.getKey(), e.getValue(), args.force(), out));
      }
    } finally {
      pool.shutdown();
    }
    FailureList.update(outRoot, outcomes);
    long failed = outcomes.stream().filter(o -> o.status() == ParticipantRunner.Status.FAILED)
        .count();
    long skipped = outcomes.stream().filter(o -> o.status()
        == ParticipantRunner.Status.SKIPPED).count();
    out.printf(Locale.ROOT, "bids participant: %d done, %d skipped (already complete), %d"
        + " failed%s%n", outcomes.size() - failed - skipped, skipped, failed, failed > 0
            ? " (see " + FailureList.FILE + " and logs/)" : "");
    out.flush();
    return failed > 0 ? 1 : 0;
  }

  /** The output must not be the input or inside it, except under its derivatives/ folder. */
  static void checkOutputPlace(Path bids, Path out) throws IOException {
    Path b = Files.exists(bids) ? bids.toRealPath() : bids;
    Path o = realish(out);
    boolean inside = o.startsWith(b);
    boolean derivatives = o.startsWith(b.resolve("derivatives")) && !o.equals(b.resolve(
        "derivatives"));
    BadArgumentException.require(!inside || derivatives, "OUTPUT_DIR " + out + ": expected a"
        + " folder outside BIDS_DIR (or under BIDS_DIR/derivatives/), found "
        + (o.equals(b) ? "BIDS_DIR itself" : "a folder inside it"));
  }

  /** The real path of the longest existing ancestor, plus the rest (symbolic links resolved). */
  private static Path realish(Path p) throws IOException {
    Path existing = p;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing == null ? p : existing.toRealPath().resolve(existing.relativize(p));
  }

  /**
   * The scratch folder: {@code OUTPUT_DIR/.work}, or a {@value #WORK_SUBDIR} folder inside
   * {@code --work-dir} (never the folder itself, whose other files are not ours to clean), which
   * must not be inside BIDS_DIR.
   */
  private Path scratch(Path bids, Path outRoot) throws IOException {
    if (workDir == null) {
      return outRoot.resolve(ParticipantRunner.WORK);
    }
    Path w = workDir.toAbsolutePath().normalize();
    Path b = Files.exists(bids) ? bids.toRealPath() : bids;
    BadArgumentException.require(!realish(w).startsWith(b), "--work-dir " + workDir
        + ": expected a folder outside BIDS_DIR, found " + (realish(w).equals(b) ? "BIDS_DIR"
            + " itself" : "a folder inside it"));
    BadArgumentException.require(!Files.exists(w) || Files.isDirectory(w), "--work-dir "
        + workDir + ": expected a folder, found a file");
    return w.resolve(WORK_SUBDIR);
  }

  /** The folder noddi bids keeps its scratch in, inside --work-dir. */
  static final String WORK_SUBDIR = "noddi_bids_work";

  /** --nthreads/--omp-nthreads reach PyTorch through DJL's properties, read when it loads. */
  private void checkResources(PrintWriter out) {
    args.threads().nthreads();
    Double memGb = args.memGb();
    args.threads().applyToTorch();
    if (memGb != null) {
      double heap = Runtime.getRuntime().maxMemory() / (double) (1L << 30);
      if (heap > memGb) {
        out.printf(Locale.ROOT, "bids: warning: the Java heap may grow to %.1f GB, more than"
            + " --mem-gb %.1f; a scheduler may kill the job: run with JAVA_OPTS=-Xmx%dg%n",
            heap, memGb, Math.max(1, (long) Math.floor(memGb * 0.8)));
      }
    }
  }

  /** PyTorch's threads, through DJL's properties; they count only before the engine loads. */
  public static void setTorchThreads(int threads) {
    org.noddildm.app.options.ThreadOptions.setTorchThreads(threads);
  }

  /**
   * The {@code raw} dataset link: BIDS_DIR relative to OUTPUT_DIR (e.g. {@code ../..} for
   * {@code BIDS_DIR/derivatives/noddi}), as BIDS allows, so that no machine path is written and
   * the link holds when both folders move together.
   */
  public static String rawLink(Path bids, Path outRoot) {
    String rel = outRoot.relativize(bids).toString().replace('\\', '/');
    return rel.isEmpty() ? "." : rel;
  }

  /**
   * The derivative dataset's {@code dataset_description.json}.
   *
   * @param rawUri the input dataset's URI, the target of the {@code raw} dataset link
   */
  public static void writeDatasetDescription(Path outRoot, String rawUri, ModelIdentity model)
      throws IOException {
    JsonObject d = new JsonObject();
    d.addProperty("Name", "noddi-ldm NODDI maps");
    d.addProperty("BIDSVersion", "1.10.0");
    d.addProperty("DatasetType", "derivative");
    JsonArray g = new JsonArray();
    JsonObject by = BuildInfo.current().generatedBy();
    by.addProperty("Description", "NDI, ODI and FWF by the refiner and/or the classic NODDI"
        + " fit; trained model " + model.id());
    g.add(by);
    d.add("GeneratedBy", g);
    JsonArray sources = new JsonArray();
    JsonObject raw = new JsonObject();
    raw.addProperty("URL", "bids:raw:");
    sources.add(raw);
    d.add("SourceDatasets", sources);
    JsonObject links = new JsonObject();
    links.addProperty("raw", rawUri);
    d.add("DatasetLinks", links);
    StrictJson.REPORT.write(outRoot.resolve("dataset_description.json"), d);
    org.noddildm.core.io.AtomicFiles.writeString(outRoot.resolve("README"), README);
  }

  /** What the derivative dataset is, for whoever opens it. */
  static final String README = String.join("\n",
      "NODDI maps (NDI = param-icvf, ODI = param-od, FWF = param-isovf) made by noddi-ldm",
      "(`noddi bids`) from the dataset linked as `raw` in dataset_description.json.",
      "Files without desc- are the default estimate (QSIRecon's names); desc-classic,",
      "desc-ldm and desc-sd are the other estimates; res-native is the scan's own grid.",
      "Each file's JSON sidecar says how it was made; sub-*.html and figures/ hold QC pages.",
      "");

  /** One line for a subject's failure, as the CLI prints errors. */
  static String oneLine(Throwable e) {
    Throwable t = e instanceof java.io.UncheckedIOException && e.getCause() != null
        ? e.getCause() : e;
    if (t instanceof NoddiException) {
      return t.getMessage();
    }
    if (t instanceof java.nio.file.NoSuchFileException n) {
      return n.getFile() + ": no such file";
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory: give Java more with JAVA_OPTS=-Xmx16g";
    }
    if (t instanceof IOException) {
      return t.getMessage() == null ? t.toString() : t.getMessage();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())
        + " (an internal error; see the log)";
  }
}
