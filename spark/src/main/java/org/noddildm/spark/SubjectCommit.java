package org.noddildm.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.noddildm.app.bids.ParticipantRunner;
import org.noddildm.spark.HadoopFiles.Place;

/**
 * Puts a finished subject into the output folder on a Hadoop filesystem so that the folder
 * {@code OUTPUT_DIR/sub-X} is always either a complete subject or absent, whatever the number of
 * attempts of its task: the subject is copied to {@code OUTPUT_DIR/.work/sub-X.<attempt>} (its
 * completion record last), an older folder is moved aside, and one rename puts it in place.
 *
 * <p>Two attempts of one task (a retry after a lost executor, or speculative execution) build
 * the same files from the same inputs and seeds, so whichever rename wins, the result is the
 * one a single clean run gives. The loser sees the rename refused (or finds its copy nested in
 * the winner's folder, as a local filesystem may do) and removes its copy. On HDFS and local
 * disks a folder rename is atomic; on S3 (s3a) it is a copy, and the completion record, which
 * names every file and is checked with them ({@link #complete}), is what makes a subject count.
 */
final class SubjectCommit {
  private SubjectCommit() {}

  /** Whether {@code target} holds a finished subject of this fingerprint with all its files. */
  static boolean complete(FileSystem fs, Path target, String fingerprint) {
    try {
      Path record = new Path(target, ParticipantRunner.RECORD);
      if (!fs.isFile(record)) {
        return false;
      }
      JsonObject r = JsonParser.parseString(HadoopFiles.readString(fs, record))
          .getAsJsonObject();
      if (!fingerprint.equals(r.get("fingerprint").getAsString())) {
        return false;
      }
      Path root = target.getParent();
      for (JsonElement run : r.getAsJsonArray("runs")) {
        for (JsonElement f : run.getAsJsonObject().getAsJsonArray("files")) {
          if (!fs.isFile(new Path(root, f.getAsString()))) {
            return false;
          }
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Copies the local subject folder {@code built} into place as {@code target}. */
  static void commit(Place out, java.nio.file.Path built, Path target, String fingerprint,
      String attemptId) throws IOException {
    FileSystem fs = out.fs();
    Path work = out.resolve(ParticipantRunner.WORK);
    Path staging = new Path(work, target.getName() + "." + attemptId);
    fs.delete(staging, true);
    HadoopFiles.putTree(built, fs, staging, ParticipantRunner.RECORD);
    Path old = null;
    if (fs.exists(target)) {
      old = new Path(work, target.getName() + ".old." + attemptId);
      if (!fs.rename(target, old)) {
        old = null; // another attempt moved it first
      }
    }
    boolean renamed;
    try {
      renamed = !fs.exists(target) && fs.rename(staging, target);
    } catch (IOException e) {
      renamed = false;
    }
    if (renamed) {
      fs.delete(new Path(target, staging.getName()), true); // a lost race on a local disk
    } else {
      fs.delete(staging, true);
      if (!complete(fs, target, fingerprint)) {
        throw new IOException(target + ": expected to put the subject in place by a rename,"
            + " found the rename refused and no complete subject there");
      }
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  /** Appends a subject's log text to {@code OUTPUT_DIR/logs/sub-X.log}. */
  static void appendLog(Place out, String sub, String text, String attemptId)
      throws IOException {
    FileSystem fs = out.fs();
    Path log = out.resolve("logs/" + sub + ".log");
    fs.mkdirs(log.getParent());
    String before = fs.exists(log) ? HadoopFiles.readString(fs, log) : "";
    HadoopFiles.writeString(fs, log, before + text, attemptId);
  }

  /** Leftovers of killed attempts of these subjects in {@code OUTPUT_DIR/.work}. */
  static void removeStale(Place out, java.util.Collection<String> subs) throws IOException {
    Path work = out.resolve(ParticipantRunner.WORK);
    if (!out.fs().exists(work)) {
      return;
    }
    for (FileStatus s : out.fs().listStatus(work)) {
      String name = s.getPath().getName();
      int dot = name.indexOf('.');
      if (dot > 0 && subs.contains(name.substring(0, dot))) {
        out.fs().delete(s.getPath(), true);
      }
    }
  }
}
