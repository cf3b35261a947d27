package org.noddildm.spark;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.noddildm.app.bids.BidsArguments;
import org.noddildm.app.bids.BidsLayout;
import org.noddildm.app.bids.DwiRun;
import org.noddildm.app.bids.ParticipantRunner;
import org.noddildm.app.bids.RunProcessor;
import org.noddildm.app.bids.SubjectIndex;
import org.noddildm.spark.HadoopFiles.Place;

/**
 * One Spark task: one subject of the participant level, as {@code noddi bids} runs it.
 *
 * <ol>
 *   <li>Copy in: the dataset's top-level JSON files (description, inherited sidecars) and the
 *       subject's diffusion folders and sidecars, to the executor's local disk.</li>
 *   <li>Skip when the output already holds the subject complete with the same fingerprint
 *       (settings, model id, input names and sizes), as {@code noddi bids} does.</li>
 *   <li>Run it with {@link ParticipantRunner} and the executor's model ({@link ExecutorModel}).
 *   </li>
 *   <li>Copy out and commit ({@link SubjectCommit}): the subject appears whole or not at all,
 *       whichever attempt of the task gets there, so retries and speculative copies give one
 *       clean result. Then the participant's index page {@code sub-X.html}
 *       ({@link SubjectIndex}), also after a skip or the last failed attempt.</li>
 * </ol>
 *
 * A subject that fails makes the task fail while Spark has attempts left (so it is retried,
 * perhaps on another executor); the last attempt returns the failure for {@code failures.tsv}
 * instead, so that one bad subject never fails the job.
 */
final class SubjectTask implements Serializable {
  /** What became of a subject, sent back to the driver. */
  record Result(String subject, ParticipantRunner.Status status, String message)
      implements Serializable {}

  /** A subject's failure on an attempt that Spark will retry. */
  static final class SubjectFailed extends RuntimeException {
    SubjectFailed(String message) {
      super(message, null, false, false); // the subject's log has the stack trace
    }
  }

  private final JobSpec spec;

  SubjectTask(JobSpec spec) {
    this.spec = spec;
  }

  Result run(String subject) throws IOException {
    TaskContext ctx = TaskContext.get();
    int attempt = ctx == null ? 0 : ctx.attemptNumber();
    String attemptId = ctx == null ? "0" : ctx.stageId() + "-" + ctx.taskAttemptId();
    BidsArguments args = spec.arguments();
    Place in = Place.of(spec.bids(), spec.hadoopConf());
    Place out = Place.of(spec.out(), spec.hadoopConf());
    String sub = "sub-" + subject;
    java.nio.file.Path local = Files.createTempDirectory("noddi-spark-" + sub + "-");
    ForkJoinPool pool = new ForkJoinPool(spec.threads());
    try {
      java.nio.file.Path localBids = local.resolve("bids");
      java.nio.file.Path localOut = local.resolve("out");
      copyIn(in, sub, localBids);
      List<DwiRun> runs = BidsLayout.find(localBids, List.of(subject), args.sessions());
      ExecutorModel.Loaded model = ExecutorModel.get(args.model(), args.device(),
          ParticipantJob.torchThreads(args, spec.threads()));
      RunProcessor processor = new RunProcessor(localBids, args.options(), model.predictor(),
          model.identity(), args.memGb(), args.maskFile());
      ParticipantRunner runner = new ParticipantRunner(localOut, processor, args.options(),
          model.identity().id(), pool);
      String fingerprint = runner.fingerprint(runs);
      Path target = out.resolve(sub);
      if (!args.force() && SubjectCommit.complete(out.fs(), target, fingerprint)) {
        SubjectCommit.appendLog(out, sub, sub + ": complete with the same settings, model and"
            + " inputs; skipped (--force redoes it)\n", attemptId);
        writeIndex(out, target, subject, null, attemptId);
        return new Result(subject, ParticipantRunner.Status.SKIPPED, "complete, skipped");
      }
      StringWriter console = new StringWriter();
      ParticipantRunner.Outcome o = runner.run(subject, runs, false, new PrintWriter(console));
      String inputs = localBids.toString();
      String log = Files.readString(localOut.resolve("logs").resolve(sub + ".log"))
          .replace(inputs, in.display());
      String message = o.message().replace(inputs, in.display());
      if (o.status() == ParticipantRunner.Status.FAILED) {
        boolean last = attempt + 1 >= spec.attempts();
        SubjectCommit.appendLog(out, sub, log + (last ? "" : sub + ": attempt " + (attempt + 1)
            + " of " + spec.attempts() + " failed; Spark retries it\n"), attemptId);
        if (!last) {
          throw new SubjectFailed(sub + ": " + message);
        }
        writeIndex(out, target, subject, message, attemptId);
        return new Result(subject, o.status(), message);
      }
      SubjectCommit.commit(out, localOut.resolve(sub), target, fingerprint, attemptId);
      writeIndex(out, target, subject, null, attemptId);
      SubjectCommit.appendLog(out, sub, log, attemptId);
      return new Result(subject, o.status(), message);
    } finally {
      pool.shutdown();
      HadoopFiles.deleteLocal(local);
    }
  }

  /**
   * {@code OUTPUT_DIR/sub-X.html} from the record of the subject now in place, as
   * {@link ParticipantRunner} writes it (the page it left in the local folder is not copied: on a
   * failure the subject's earlier outputs are here, not there).
   */
  private static void writeIndex(Place out, Path target, String subject, String failure,
      String attemptId) throws IOException {
    Path record = new Path(target, ParticipantRunner.RECORD);
    JsonObject r = out.fs().isFile(record) ? SubjectIndex.parse(HadoopFiles.readString(out.fs(),
        record)) : null;
    HadoopFiles.writeString(out.fs(), out.resolve(SubjectIndex.fileName(subject)),
        SubjectIndex.html(subject, r, failure), attemptId);
  }

  /** The dataset's top-level JSON files and the subject's JSON files and dwi folders. */
  private static void copyIn(Place in, String sub, java.nio.file.Path localBids)
      throws IOException {
    Files.createDirectories(localBids);
    for (FileStatus f : HadoopFiles.files(in.fs(), in.path())) {
      if (f.getPath().getName().endsWith(".json")) {
        HadoopFiles.get(in.fs(), f.getPath(), localBids.resolve(f.getPath().getName()));
      }
    }
    copySubjectLevel(in.fs(), in.resolve(sub), localBids.resolve(sub));
  }

  /** JSON files of a subject or session folder, its dwi/ folder whole, its ses-* folders. */
  private static void copySubjectLevel(FileSystem fs, Path from, java.nio.file.Path to)
      throws IOException {
    for (FileStatus s : fs.listStatus(from)) {
      String name = s.getPath().getName();
      if (s.isFile() && name.endsWith(".json")) {
        HadoopFiles.get(fs, s.getPath(), to.resolve(name));
      } else if (s.isDirectory() && name.equals("dwi")) {
        for (FileStatus f : HadoopFiles.files(fs, s.getPath())) {
          HadoopFiles.get(fs, f.getPath(), to.resolve("dwi").resolve(f.getPath().getName()));
        }
      } else if (s.isDirectory() && name.startsWith("ses-")) {
        copySubjectLevel(fs, s.getPath(), to.resolve(name));
      }
    }
  }
}
