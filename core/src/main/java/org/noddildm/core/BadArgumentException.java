package org.noddildm.core;

/** A value, option or shape given by the caller that cannot be used. */
public final class BadArgumentException extends NoddiException {
  public BadArgumentException(String message) {
    super(message);
  }

  /** Throws unless {@code condition}; the message should say expected versus found. */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new BadArgumentException(message);
    }
  }
}
