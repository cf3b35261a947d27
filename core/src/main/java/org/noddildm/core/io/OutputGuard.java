package org.noddildm.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.noddildm.core.BadArgumentException;

/**
 * The rule that an output never overwrites an input: before a command writes anything, each of
 * its output files is compared with each input file, as the same file on disk (hard or symbolic
 * links included) when both exist, else by their normalised absolute paths.
 */
public final class OutputGuard {
  private OutputGuard() {}

  /**
   * Refuses, with one line naming both, any of {@code outputs} that is one of {@code inputs}
   * (null entries are ignored).
   */
  public static void requireNoneIsInput(List<Path> outputs, List<Path> inputs) {
    for (Path out : outputs) {
      for (Path in : inputs) {
        if (out != null && in != null && same(out, in)) {
          throw new BadArgumentException("output " + out + ": expected a file other than the"
              + " inputs, found the input " + in + " (an output never overwrites an input)");
        }
      }
    }
  }

  /**
   * Refuses, with one line naming it, any of {@code outputs} that already exists unless
   * {@code force} (MRtrix's habit: an earlier run's outputs are replaced only when asked).
   */
  public static void requireNewUnlessForced(List<Path> outputs, boolean force) {
    if (force) {
      return;
    }
    for (Path out : outputs) {
      if (out != null && (Files.exists(out) || Files.isSymbolicLink(out))) {
        throw new BadArgumentException("output " + out + ": expected no existing file, found"
            + " one (an earlier run's?); give --force to replace it");
      }
    }
  }

  private static boolean same(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException e) {
      // unreadable: fall back to the names
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }
}
