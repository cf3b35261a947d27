package org.noddildm.core;

import java.nio.file.Path;

/** A file whose content is not what it should be: truncated, corrupt, wrong magic, wrong size. */
public final class BadFileException extends NoddiException {
  public BadFileException(Path file, String message) {
    super(file + ": " + message);
  }

  public BadFileException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
