package org.noddildm.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.noddildm.app.bids.BidsArguments;
import org.noddildm.app.bids.BidsCommand;
import org.noddildm.app.bids.FailureList;
import org.noddildm.app.bids.ParticipantRunner;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.spark.HadoopFiles.Place;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant level on Spark: the driver finds the subjects with diffusion runs, checks the
 * model once, writes {@code dataset_description.json}, runs one task per subject
 * ({@link SubjectTask}), prints each subject's line as {@code noddi bids} does and updates
 * {@code failures.tsv}. Progress: the Spark UI shows the job and the accumulators
 * {@code subjects done|skipped|failed}; the driver's log has a line per finished task.
 */
final class ParticipantJob {
  private static final Logger LOG = LoggerFactory.getLogger(ParticipantJob.class);

  private final JavaSparkContext sc;
  private final JobSpec job;
  private final BidsArguments args;

  ParticipantJob(JavaSparkContext sc, JobSpec job, BidsArguments args) {
    this.sc = sc;
    this.job = job;
    this.args = args;
  }

  int run(PrintWriter out) throws IOException {
    Place in = Place.of(job.bids(), sc.hadoopConfiguration());
    Place dest = Place.of(job.out(), sc.hadoopConfiguration());
    checkPlaces(in, dest);
    List<String> subjects = subjectsWithRuns(in);
    dest.fs().mkdirs(dest.path());
    // the driver opens the model once: a bad --model fails here, not in every task (in local
    // mode the executors then share this very copy)
    ExecutorModel.Loaded model = ExecutorModel.get(args.model(), args.device(),
        torchThreads(args, job.threads()));
    java.nio.file.Path tmp = Files.createTempDirectory("noddi-spark-driver-");
    try {
      BidsCommand.writeDatasetDescription(tmp, rawLink(in, dest), model.identity());
      for (String f : new String[] {"dataset_description.json", "README"}) {
        HadoopFiles.writeString(dest.fs(), dest.resolve(f), Files.readString(tmp.resolve(f)),
            "driver");
      }
      out.printf(Locale.ROOT, "bids participant: %d subject(s) on Spark (%s), %d thread(s) per"
          + " task, %d attempt(s) per subject, method %s, model %s%n", subjects.size(),
          sc.master(), job.threads(), job.attempts(), args.options().method(),
          model.identity().id());
      out.flush();
      SubjectCommit.removeStale(dest, subjects.stream().map(s -> "sub-" + s).toList());
      List<SubjectTask.Result> results = runTasks(subjects);
      List<ParticipantRunner.Outcome> outcomes = new ArrayList<>();
      for (SubjectTask.Result r : results) {
        String sub = "sub-" + r.subject();
        out.println(r.status() == ParticipantRunner.Status.FAILED ? sub + ": FAILED: "
            + r.message() + " (log: logs/" + sub + ".log)" : sub + ": " + r.message());
        outcomes.add(new ParticipantRunner.Outcome(r.subject(), r.status(), r.message()));
      }
      updateFailures(dest, outcomes, tmp);
      long failed = count(results, ParticipantRunner.Status.FAILED);
      long skipped = count(results, ParticipantRunner.Status.SKIPPED);
      out.printf(Locale.ROOT, "bids participant: %d done, %d skipped (already complete), %d"
          + " failed%s%n", results.size() - failed - skipped, skipped, failed, failed > 0
              ? " (see " + FailureList.FILE + " and logs/)" : "");
      return failed > 0 ? 1 : 0;
    } finally {
      HadoopFiles.deleteLocal(tmp);
    }
  }

  private List<SubjectTask.Result> runTasks(List<String> subjects) {
    LongAccumulator done = sc.sc().longAccumulator("subjects done");
    LongAccumulator skipped = sc.sc().longAccumulator("subjects skipped");
    LongAccumulator failed = sc.sc().longAccumulator("subjects failed");
    int n = subjects.size();
    SparkListener progress = new SparkListener() {
      private int finished;

      @Override
      public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskInfo().successful()) {
          finished++;
          LOG.info("noddi: {} of {} subject(s) finished", finished, n);
        }
      }
    };
    sc.sc().addSparkListener(progress);
    sc.setJobDescription("noddi bids participant: " + n + " subject(s)");
    SubjectTask task = new SubjectTask(job);
    try {
      return sc.parallelize(subjects, Math.max(1, n)).map(s -> {
        SubjectTask.Result r = task.run(s);
        (r.status() == ParticipantRunner.Status.DONE ? done
            : r.status() == ParticipantRunner.Status.SKIPPED ? skipped : failed).add(1);
        return r;
      }).collect();
    } finally {
      sc.sc().removeSparkListener(progress);
    }
  }

  /** Replaces the rows of these subjects in failures.tsv, by FailureList's own rules. */
  private static void updateFailures(Place dest, List<ParticipantRunner.Outcome> outcomes,
      java.nio.file.Path tmp) throws IOException {
    Path file = dest.resolve(FailureList.FILE);
    if (dest.fs().exists(file)) {
      HadoopFiles.get(dest.fs(), file, tmp.resolve(FailureList.FILE));
    }
    FailureList.update(tmp, outcomes);
    HadoopFiles.writeString(dest.fs(), file, Files.readString(tmp.resolve(FailureList.FILE)),
        "driver");
  }

  /** The subjects (labels) that have diffusion runs of the chosen sessions, sorted. */
  private List<String> subjectsWithRuns(Place in) throws IOException {
    List<String> all = new ArrayList<>();
    for (FileStatus s : in.fs().listStatus(in.path())) {
      if (s.isDirectory() && s.getPath().getName().startsWith("sub-")) {
        all.add(s.getPath().getName().substring(4));
      }
    }
    all.sort(null);
    List<String> wanted = args.participants().stream().map(p -> p.startsWith("sub-")
        ? p.substring(4) : p).toList();
    for (String w : wanted) {
      BadArgumentException.require(all.contains(w), "--participant-label " + w
          + ": expected one of the dataset's subjects " + all + ", found no sub-" + w);
    }
    List<String> sessions = args.sessions().stream().map(p -> p.startsWith("ses-")
        ? p.substring(4) : p).toList();
    Set<String> withRuns = new TreeSet<>();
    List<String> patterns = new ArrayList<>();
    if (sessions.isEmpty()) {
      patterns.add("sub-*/dwi/*_dwi.nii*");
      patterns.add("sub-*/ses-*/dwi/*_dwi.nii*");
    } else {
      patterns.add("sub-*/ses-{" + String.join(",", sessions) + "}/dwi/*_dwi.nii*");
    }
    for (String p : patterns) {
      FileStatus[] found = in.fs().globStatus(in.resolve(p));
      for (FileStatus f : found == null ? new FileStatus[0] : found) {
        String rel = in.path().toUri().relativize(f.getPath().toUri()).getPath();
        String sub = rel.substring(4, rel.indexOf('/'));
        if (wanted.isEmpty() || wanted.contains(sub)) {
          withRuns.add(sub);
        }
      }
    }
    BadArgumentException.require(!withRuns.isEmpty(), "expected diffusion runs"
        + " (sub-*/[ses-*/]dwi/*_dwi.nii[.gz]) in " + in.display() + (wanted.isEmpty() ? ""
            : " for " + args.participants()) + (sessions.isEmpty() ? "" : " sessions "
            + args.sessions()) + ", found none");
    return new ArrayList<>(withRuns);
  }

  /** The input must be a BIDS dataset; the output not inside it but under derivatives/. */
  private static void checkPlaces(Place in, Place dest) throws IOException {
    if (!in.fs().isDirectory(in.path())
        || !in.fs().isFile(in.resolve("dataset_description.json"))) {
      throw new BadFileException(java.nio.file.Path.of(in.display()), "expected a BIDS dataset"
          + " with dataset_description.json at its top, found "
          + (in.fs().exists(in.path()) ? "none" : "nothing"));
    }
    String b = in.path().toString() + "/";
    String o = dest.path().toString() + "/";
    boolean inside = o.startsWith(b);
    boolean derivatives = o.startsWith(b + "derivatives/") && !o.equals(b + "derivatives/");
    BadArgumentException.require(!inside || derivatives, "OUTPUT_DIR " + dest.display()
        + ": expected a folder outside BIDS_DIR (or under BIDS_DIR/derivatives/), found "
        + (o.equals(b) ? "BIDS_DIR itself" : "a folder inside it"));
  }

  private static long count(List<SubjectTask.Result> results, ParticipantRunner.Status s) {
    return results.stream().filter(r -> r.status() == s).count();
  }

  /**
   * The {@code raw} dataset link: the input relative to the output when both are on one
   * filesystem (as {@code noddi bids} writes it, no machine path), else the input's URI.
   */
  static String rawLink(HadoopFiles.Place in, HadoopFiles.Place dest) {
    java.net.URI a = in.path().toUri();
    java.net.URI b = dest.path().toUri();
    if (java.util.Objects.equals(a.getScheme(), b.getScheme())
        && java.util.Objects.equals(a.getAuthority(), b.getAuthority())) {
      return BidsCommand.rawLink(java.nio.file.Path.of(a.getPath()), java.nio.file.Path.of(
          b.getPath()));
    }
    return in.uri();
  }

  /** PyTorch's threads per task: --omp-nthreads when given, else the task's threads. */
  static int torchThreads(BidsArguments args, int taskThreads) {
    Integer omp = args.threads().ompNthreads();
    return omp != null ? omp : taskThreads;
  }
}
