package org.noddildm.app.bids;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.noddildm.core.io.AtomicFiles;

/**
 * {@code OUTPUT_DIR/failures.tsv}: the subjects whose last participant run failed, with the
 * error, one line each. Each run of the participant level updates only the rows of the subjects
 * it ran (a success removes the row), so the array jobs of one cohort, each running its own
 * subjects into the same folder, keep each other's rows; the update holds a file lock where the
 * file system has locks.
 */
public final class FailureList {
  public static final String FILE = "failures.tsv";
  static final String HEADER = "participant_id\terror\ttime";

  private FailureList() {}

  /** Replaces the rows of the subjects in {@code outcomes}. */
  public static void update(Path outRoot, List<ParticipantRunner.Outcome> outcomes) throws IOException {
    Path file = outRoot.resolve(FILE);
    Path lock = outRoot.resolve(".failures.lock");
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock l = tryLock(ch)) {
      Map<String, String> rows = read(file);
      String now = Instant.now().toString();
      for (ParticipantRunner.Outcome o : outcomes) {
        String id = "sub-" + o.subject();
        if (o.status() == ParticipantRunner.Status.FAILED) {
          rows.put(id, clean(o.message()) + "\t" + now);
        } else {
          rows.remove(id);
        }
      }
      StringBuilder b = new StringBuilder(HEADER).append('\n');
      rows.forEach((k, v) -> b.append(k).append('\t').append(v).append('\n'));
      AtomicFiles.writeString(file, b.toString());
    }
  }

  /** participant_id to "error\ttime", sorted. */
  public static Map<String, String> read(Path file) throws IOException {
    Map<String, String> rows = new TreeMap<>();
    if (Files.isRegularFile(file)) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          rows.put(line.substring(0, tab), line.substring(tab + 1));
        }
      }
    }
    return rows;
  }

  private static FileLock tryLock(FileChannel ch) {
    try {
      return ch.lock();
    } catch (IOException | UnsupportedOperationException e) {
      return null; // a file system without locks: the update is still atomic per file
    }
  }

  private static String clean(String s) {
    return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
