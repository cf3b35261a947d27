package org.noddildm.app.options;

import picocli.CommandLine.Option;

/**
 * {@code --seed}: the seed of everything random a command draws (phantoms, noise, sampling),
 * so that the same seed gives the same result on the same machine. The training commands take
 * the same option with their config record's seed as default.
 */
public final class SeedOption {
  /** The default seed. */
  public static final long DEFAULT = 1;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of everything random this"
      + " command draws (default: ${DEFAULT-VALUE}).")
  long seed = DEFAULT;

  /** The seed. */
  public long get() {
    return seed;
  }
}
