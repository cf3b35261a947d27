package org.noddildm.core.volume;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Runs independent work items (slices, voxel chunks) on all cores of the common pool. */
public final class Parallel {
  private Parallel() {}

  /** Calls {@code body} for 0..n-1 in parallel; the items must not depend on each other. */
  public static void forEach(int n, IntConsumer body) {
    IntStream.range(0, n).parallel().forEach(body);
  }

  /**
   * Calls {@code body(start, end)} for contiguous chunks covering 0..n-1, so that per-chunk
   * scratch buffers are allocated once per chunk rather than once per item.
   */
  public static void forChunks(int n, int chunk, ChunkBody body) {
    int chunks = (n + chunk - 1) / chunk;
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int start = c * chunk;
      body.run(start, Math.min(n, start + chunk));
    });
  }

  /** Work on the half-open range [start, end). */
  @FunctionalInterface
  public interface ChunkBody {
    void run(int start, int end);
  }
}
