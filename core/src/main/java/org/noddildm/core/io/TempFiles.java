package org.noddildm.core.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporary files and folders that outputs are written through, named after the process
 * that made them ({@code .NAME.PID-RANDOM.part} files, {@code .noddi-PID-RANDOM.tmp} folders).
 * While they exist they are registered, and a shutdown hook removes the registered ones when
 * the JVM stops on SIGTERM or Ctrl-C. Ones whose process no longer runs were left by a killed
 * run (SIGKILL, power loss); {@link #removeStale} removes them.
 */
public final class TempFiles {
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static final Pattern OURS = Pattern.compile(
      "^\\.(?:.+\\.(\\d+)-[0-9a-z]+\\.part|noddi-(\\d+)-[0-9a-z]+\\.tmp)$");
  private static final long PID = ProcessHandle.current().pid();

  /** Tries of the shutdown hook at removing what a still-running writer puts back meanwhile. */
  private static final int SHUTDOWN_TRIES = 50;

  static {
    // Other threads keep running while the hook runs: a writer may put a new file into a
    // folder between the hook's listing and its removal of the folder, so it tries again
    // until the temporaries are gone (a few tries at most, 20 ms apart).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (int i = 0; i < SHUTDOWN_TRIES && !LIVE.isEmpty(); i++) {
        for (Path p : List.copyOf(LIVE)) {
          deleteQuietly(p);
          if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            LIVE.remove(p);
          }
        }
        if (!LIVE.isEmpty()) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }, "noddi-temp-cleanup"));
  }

  private TempFiles() {}

  /** A name for a new temporary beside {@code target}, unique with high probability. */
  static String partName(Path target) {
    return "." + target.getFileName() + "." + PID + "-" + random() + ".part";
  }

  /** A name for a new temporary folder. */
  static String folderName() {
    return ".noddi-" + PID + "-" + random() + ".tmp";
  }

  private static String random() {
    return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
  }

  /** Registers a temporary for removal if the JVM is stopped before it is released. */
  public static void register(Path p) {
    LIVE.add(p.toAbsolutePath());
  }

  /** Forgets a temporary that was moved into place or removed. */
  public static void release(Path p) {
    LIVE.remove(p.toAbsolutePath());
  }

  /** Whether {@code p} is registered (for tests). */
  static boolean isRegistered(Path p) {
    return LIVE.contains(p.toAbsolutePath());
  }

  /**
   * Removes the temporaries in {@code dir} (not below it) whose process no longer runs, and says
   * so through {@code log}, one line per temporary. Returns what was removed.
   */
  public static List<Path> removeStale(Path dir, Consumer<String> log) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return removed;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*")) {
      for (Path p : ds) {
        Matcher m = OURS.matcher(p.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        long pid = Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2));
        if (pid != PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue; // another running command's
        }
        if (pid == PID && LIVE.contains(p.toAbsolutePath())) {
          continue; // ours, in use
        }
        deleteQuietly(p);
        if (!Files.exists(p)) {
          removed.add(p);
          log.accept("removed " + p + ", a temporary left by a run that was killed (process "
              + pid + ")");
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable folder or a race with another cleaner: the write that follows says more
    }
    return removed;
  }

  /** Deletes a file or a folder tree, ignoring what cannot be deleted. */
  public static void deleteQuietly(Path p) {
    try {
      if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> s = Files.walk(p)) {
          for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(q);
          }
        }
      } else {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // best effort: removeStale finds it next time
    }
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      release(p);
    }
  }
}
