package org.noddildm.app.bids;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Stream;
import org.noddildm.core.io.StrictJson;

/**
 * Runs one subject of the participant level, so that whatever happens the output folder holds
 * either the subject's complete derivatives or none of them.
 *
 * <ul>
 *   <li>Skip: a subject whose folder exists with a completion record ({@value #RECORD}) of the
 *       same fingerprint (settings, model id, inputs) and all its files is left as it is,
 *       unless forced.</li>
 *   <li>Atomic: the subject is written into {@code OUTPUT_DIR/.work/sub-X.<random>/} and moved
 *       into place with one rename; an older folder is moved aside first and deleted after. A
 *       killed run leaves only a {@code .work} folder, removed when the subject is next run.</li>
 *   <li>Isolated: any error of any run is caught, logged with its stack trace in
 *       {@code logs/sub-X.log} and returned as the subject's failure; the caller goes on.</li>
 *   <li>Index: {@code OUTPUT_DIR/sub-X.html} ({@link SubjectIndex}) is rewritten after every
 *       run of the subject, done, skipped or failed, right after its folder is in place.</li>
 *   <li>Threads: the subject's Java work runs in a pool of {@code --n-cpus} threads (the
 *       parallel voxel loops use the pool they are called from).</li>
 * </ul>
 */
public final class ParticipantRunner {
  /** The completion record in a subject's folder (hidden: not a BIDS file). */
  public static final String RECORD = ".noddi-subject.json";
  public static final String WORK = ".work";

  /** What became of a subject. */
  public record Outcome(String subject, Status status, String message) {}

  /** Done now, skipped as already complete, or failed. */
  public enum Status { DONE, SKIPPED, FAILED }

  private final Path outRoot;
  private final Path scratch;
  private final RunProcessor processor;
  private final BidsOptions options;
  private final String modelId;
  private final ForkJoinPool pool;

  public ParticipantRunner(Path outRoot, RunProcessor processor, BidsOptions options, String modelId,
      ForkJoinPool pool) {
    this(outRoot, outRoot.resolve(WORK), processor, options, modelId, pool);
  }

  /**
   * A runner whose subjects are built in {@code scratch} ({@code --work-dir}); when that is on
   * another file system than {@code outRoot}, a finished subject is copied into
   * {@code OUTPUT_DIR/.work} first, so that it still moves into place with one rename.
   */
  public ParticipantRunner(Path outRoot, Path scratch, RunProcessor processor,
      BidsOptions options, String modelId, ForkJoinPool pool) {
    this.outRoot = outRoot;
    this.scratch = scratch;
    this.processor = processor;
    this.options = options;
    this.modelId = modelId;
    this.pool = pool;
  }

  /** Runs the subject's runs; never throws for a problem of the subject's data. */
  public Outcome run(String subject, List<DwiRun> runs, boolean force, PrintWriter console)
      throws IOException {
    String sub = "sub-" + subject;
    Path target = outRoot.resolve(sub);
    Path logFile = outRoot.resolve("logs").resolve(sub + ".log");
    Files.createDirectories(logFile.getParent());
    StringWriter text = new StringWriter();
    PrintWriter log = new PrintWriter(text, true);
    log.printf("%s: %s, %d run(s): %s%n", sub, Instant.now(), runs.size(), runs);
    String fingerprint = fingerprint(runs);
    Outcome outcome;
    if (!force && complete(target, fingerprint)) {
      log.println(sub + ": complete with the same settings, model and inputs; skipped"
          + " (--force redoes it)");
      outcome = new Outcome(subject, Status.SKIPPED, "complete, skipped");
    } else {
      outcome = build(subject, runs, fingerprint, target, log);
    }
    // the index beside the folder, from the record now in place (skipped, done, or the earlier
    // outputs a failed run left as they were)
    SubjectIndex.write(outRoot, subject, outcome.status() == Status.FAILED ? outcome.message()
        : null);
    log.flush();
    Files.writeString(logFile, text.toString(), java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    console.println(outcome.status() == Status.FAILED ? sub + ": FAILED: " + outcome.message()
        + " (log: logs/" + sub + ".log)" : sub + ": " + outcome.message());
    console.flush();
    return outcome;
  }

  private Outcome build(String subject, List<DwiRun> runs, String fingerprint, Path target,
      PrintWriter log) throws IOException {
    String sub = "sub-" + subject;
    Path work = outRoot.resolve(WORK);
    Files.createDirectories(scratch);
    removeStale(scratch, sub);
    Path tmp = Files.createTempDirectory(scratch, sub + ".");
    Path staged = null;
    long start = System.nanoTime();
    try {
      JsonArray records = new JsonArray();
      for (DwiRun run : runs) {
        try {
          records.add(pool.submit(() -> processor.process(run, tmp, log)).get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
        }
      }
      JsonObject record = new JsonObject();
      record.addProperty("subject", subject);
      record.addProperty("fingerprint", fingerprint);
      record.addProperty("modelId", modelId);
      record.addProperty("finished", Instant.now().toString());
      record.add("settings", options.toJson());
      record.add("runs", records);
      StrictJson.EXACT.write(tmp.resolve(sub).resolve(RECORD), record);
      Path built = tmp.resolve(sub);
      if (!sameFileSystem(scratch, outRoot)) {
        Files.createDirectories(work);
        removeStale(work, sub);
        staged = Files.createTempDirectory(work, sub + ".");
        copyTree(built, staged.resolve(sub));
        built = staged.resolve(sub);
      }
      moveIntoPlace(built, target, work);
      String msg = String.format(Locale.ROOT, "done, %d run(s) in %.1f s", runs.size(),
          (System.nanoTime() - start) / 1e9);
      log.println(sub + ": " + msg);
      return new Outcome(subject, Status.DONE, msg);
    } catch (Exception | OutOfMemoryError e) {
      String msg = org.noddildm.app.bids.BidsCommand.oneLine(e);
      log.println(sub + ": FAILED: " + msg);
      e.printStackTrace(log);
      return new Outcome(subject, Status.FAILED, msg);
    } finally {
      deleteTree(tmp);
      if (staged != null) {
        deleteTree(staged);
      }
    }
  }

  private static boolean sameFileSystem(Path a, Path b) throws IOException {
    return Files.getFileStore(a).equals(Files.getFileStore(b));
  }

  /** Copies a folder of regular files and folders (what a run writes; no links are made). */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /** What a finished subject of these runs records: settings, model id, input names and sizes. */
  public String fingerprint(List<DwiRun> runs) throws IOException {
    return options.fingerprint(modelId, inputs(runs));
  }

  /** Whether {@code target} holds a finished subject of this fingerprint with all its files. */
  static boolean complete(Path target, String fingerprint) {
    Path recordFile = target.resolve(RECORD);
    if (!Files.isRegularFile(recordFile)) {
      return false;
    }
    try {
      JsonObject r = JsonParser.parseString(Files.readString(recordFile)).getAsJsonObject();
      if (!fingerprint.equals(r.get("fingerprint").getAsString())) {
        return false;
      }
      Path root = target.getParent();
      for (var run : r.getAsJsonArray("runs")) {
        for (var f : run.getAsJsonObject().getAsJsonArray("files")) {
          if (!Files.isRegularFile(root.resolve(f.getAsString()))) {
            return false;
          }
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Names and sizes of the subject's inputs: a changed or added file redoes the subject. */
  private static JsonObject inputs(List<DwiRun> runs) throws IOException {
    JsonObject o = new JsonObject();
    for (DwiRun r : runs) {
      List<Path> files = new java.util.ArrayList<>(List.of(r.dwi()));
      for (Path p : new Path[] {r.bval(), r.bvec()}) {
        if (p != null) {
          files.add(p);
        }
      }
      files.addAll(r.sidecars());
      if (r.mask() != null) {
        files.add(r.mask());
      }
      for (Path p : files) {
        o.addProperty(r.prefix() + "/" + p.getFileName(), Files.size(p));
      }
    }
    return o;
  }

  /** One rename puts the subject in place; an older folder is moved aside first. */
  private static void moveIntoPlace(Path built, Path target, Path work) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = work.resolve(target.getFileName() + ".old." + Long.toUnsignedString(
          java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36));
      rename(target, old);
    }
    rename(built, target);
    if (old != null) {
      deleteTree(old);
    }
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Leftovers of this subject from a killed run (other subjects' may be in use by others). */
  private static void removeStale(Path work, String sub) throws IOException {
    try (Stream<Path> s = Files.list(work)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(sub + ".")).toList()) {
        deleteTree(p);
      }
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
