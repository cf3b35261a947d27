package org.noddildm.core;

/**
 * Base of the errors this project raises on purpose. Every message says what was expected and
 * what was found, so that the CLI can print it as one line.
 *
 * <p>Subclasses are typed by origin: {@link BadFileException} for the content of a file,
 * {@link BadArgumentException} for a value or shape given by the caller.
 */
public abstract class NoddiException extends RuntimeException {
  protected NoddiException(String message) {
    super(message);
  }

  protected NoddiException(String message, Throwable cause) {
    super(message, cause);
  }
}
