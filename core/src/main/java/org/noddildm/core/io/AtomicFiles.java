package org.noddildm.core.io;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writing outputs so that a failure leaves either the old file or nothing, never half a file. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Moves a finished temporary file over {@code target}, atomically where the file system can. */
  public static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Creates an empty temporary file beside {@code target} (hidden, ending ".part"), making the
   * folder if needed. Unlike {@code Files.createTempFile}, whose files are private (mode 600),
   * it gets the ordinary permissions of the user's umask, which the final file keeps, so that
   * colleagues and viewers can read outputs.
   */
  public static Path tempSibling(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    for (int attempt = 0; ; attempt++) {
      String name = "." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong())
          + ".part";
      try {
        return Files.createFile(dir.resolve(name));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** Writes a text file (UTF-8) through a temporary file in the same folder. */
  public static void writeString(Path target, String text) throws IOException {
    Path tmp = tempSibling(target);
    boolean done = false;
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(text);
      }
      moveIntoPlace(tmp, target);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Writes bytes through a temporary file in the same folder. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    Path tmp = tempSibling(target);
    boolean done = false;
    try {
      Files.write(tmp, bytes);
      moveIntoPlace(tmp, target);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
