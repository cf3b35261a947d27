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

  /**
   * Creates the empty temporary file for {@code target}: a hidden {@code .part} file in the
   * same folder, registered with {@link TempFiles} so that SIGTERM or Ctrl-C removes it.
   * Unlike {@link Files#createTempFile}, which makes the file private (rw-------),
   * it gets the permissions of any new file (0666 minus the umask), so that outputs are as
   * readable by colleagues as files written by other tools.
   */
  public static Path newTempFile(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve(TempFiles.partName(target));
      try {
        Path p = Files.createFile(tmp);
        TempFiles.register(p);
        return p;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      } catch (IOException e) {
        throw cannotWrite(target, e); // named after the output, not the hidden temporary
      }
    }
  }

  /** Moves a finished temporary file over {@code target}, atomically where the file system can. */
  public static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    TempFiles.release(tmp);
  }

  /**
   * An I/O error met while writing {@code target}, as one that names it: a full disk or a
   * read-only folder otherwise reports no file, or the hidden temporary.
   */
  public static IOException cannotWrite(Path target, IOException e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getFile() != null
        && Path.of(f.getFile()).equals(target)) {
      return e;
    }
    String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
        : e instanceof java.nio.file.FileSystemException f && f.getReason() != null
            ? f.getReason() : e.getMessage() != null ? e.getMessage()
            : e.getClass().getSimpleName();
    return new IOException(target + ": cannot write (" + why + ")", e);
  }

  /** Removes an unfinished temporary file (quietly) and forgets it. */
  public static void discard(Path tmp) {
    TempFiles.deleteQuietly(tmp);
  }

  /** Writes a text file (UTF-8) through a temporary file in the same folder. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, tmp -> {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(text);
      }
    });
  }

  /** Writes bytes through a temporary file in the same folder. */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    write(target, tmp -> Files.write(tmp, bytes));
  }

  /** What goes into the temporary file. */
  private interface Content {
    void writeTo(Path tmp) throws IOException;
  }

  /** {@code content} into a temporary file beside {@code target}, then moved into place. */
  private static void write(Path target, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = newTempFile(target);
    boolean done = false;
    try {
      try {
        content.writeTo(tmp);
      } catch (IOException e) {
        throw cannotWrite(target, e);
      }
      moveIntoPlace(tmp, target);
      done = true;
    } finally {
      if (!done) {
        discard(tmp);
      }
    }
  }

}
