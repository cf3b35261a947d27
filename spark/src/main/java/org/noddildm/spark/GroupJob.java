package org.noddildm.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.noddildm.app.bids.FailureList;
import org.noddildm.app.bids.GroupTable;
import org.noddildm.app.bids.ParticipantRunner;
import org.noddildm.core.BadArgumentException;
import org.noddildm.spark.HadoopFiles.Place;

/**
 * The group level on Spark: the cohort table of {@code noddi bids group}, its rows computed in
 * the executors. The driver reads the completion records (small JSON); each task reads one
 * run's maps and masks and computes its per-tissue statistics ({@link GroupTable#row}); the
 * rows come back in subject order and the driver writes the table and its dictionary with
 * {@link GroupTable#write}, so the file is the one {@code noddi bids group} writes.
 */
final class GroupJob implements Serializable {
  private final transient JavaSparkContext sc;
  private final JobSpec job;

  GroupJob(JavaSparkContext sc, JobSpec job) {
    this.sc = sc;
    this.job = job;
  }

  int run(PrintWriter out) throws IOException {
    Place dest = Place.of(job.out(), sc.hadoopConfiguration());
    BadArgumentException.require(dest.fs().isDirectory(dest.path()), "group: expected the"
        + " participant level's OUTPUT_DIR, found no folder " + dest.display());
    java.nio.file.Path tmp = Files.createTempDirectory("noddi-spark-group-");
    try {
      Path failuresFile = dest.resolve(FailureList.FILE);
      if (dest.fs().exists(failuresFile)) {
        HadoopFiles.get(dest.fs(), failuresFile, tmp.resolve(FailureList.FILE));
      }
      Map<String, String> failures = FailureList.read(tmp.resolve(FailureList.FILE));
      List<String> runs = finishedRuns(dest, failures);
      sc.setJobDescription("noddi bids group: " + runs.size() + " run(s)");
      JobSpec spec = job;
      List<LinkedHashMap<String, String>> rows = sc.parallelize(runs, Math.max(1,
          runs.size())).map(r -> row(spec, r)).collect();
      int n = GroupTable.write(tmp, new ArrayList<>(rows));
      for (String f : List.of(GroupTable.TSV, GroupTable.JSON)) {
        HadoopFiles.writeString(dest.fs(), dest.resolve(f), Files.readString(tmp.resolve(f)),
            "driver");
      }
      out.printf(Locale.ROOT, "bids group: %d row(s) in %s (%d failed subject(s)), dictionary"
          + " %s%n", n, GroupTable.TSV, failures.size(), GroupTable.JSON);
      return failures.isEmpty() ? 0 : 1;
    } finally {
      HadoopFiles.deleteLocal(tmp);
    }
  }

  /** The run records (JSON text) of the finished subjects not listed as failed, in order. */
  private static List<String> finishedRuns(Place dest, Map<String, String> failures)
      throws IOException {
    List<String> subjects = new ArrayList<>();
    for (FileStatus s : dest.fs().listStatus(dest.path())) {
      String name = s.getPath().getName();
      if (s.isDirectory() && name.startsWith("sub-") && !failures.containsKey(name)
          && dest.fs().isFile(new Path(s.getPath(), ParticipantRunner.RECORD))) {
        subjects.add(name);
      }
    }
    subjects.sort(null);
    List<String> runs = new ArrayList<>();
    for (String sub : subjects) {
      JsonObject rec = JsonParser.parseString(HadoopFiles.readString(dest.fs(),
          dest.resolve(sub + "/" + ParticipantRunner.RECORD))).getAsJsonObject();
      for (JsonElement r : rec.getAsJsonArray("runs")) {
        runs.add(r.toString());
      }
    }
    return runs;
  }

  /** In an executor: the run's maps to local disk, then its row. */
  private static LinkedHashMap<String, String> row(JobSpec spec, String runJson)
      throws IOException {
    Place dest = Place.of(spec.out(), spec.hadoopConf());
    JsonObject run = JsonParser.parseString(runJson).getAsJsonObject();
    java.nio.file.Path local = Files.createTempDirectory("noddi-spark-row-");
    try {
      for (String f : GroupTable.inputsOf(run)) {
        HadoopFiles.get(dest.fs(), dest.resolve(f), local.resolve(f));
      }
      return new LinkedHashMap<>(GroupTable.row(local, run));
    } finally {
      HadoopFiles.deleteLocal(local);
    }
  }
}
