package org.noddildm.app.options;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import org.noddildm.core.BadArgumentException;
import picocli.CommandLine.Option;

/**
 * The thread options of the BIDS-Apps convention on every heavy command ({@code fit},
 * {@code predict}, {@code bids}): {@code --nthreads N} bounds the Java work (the parallel voxel
 * loops run in a pool of N threads) and PyTorch's intra-op threads; {@code --omp-nthreads M}
 * sets PyTorch's intra-op threads alone (default: N). Without them every core is used.
 *
 * <p>PyTorch reads its thread counts once, when the engine loads, through DJL's properties
 * {@code ai.djl.pytorch.num_threads} and {@code ai.djl.pytorch.num_interop_threads}; they are set
 * here before any model is opened.
 */
public final class ThreadOptions {
  @Option(names = {"--nthreads", "--n-cpus", "--n_cpus", "--nprocs"}, paramLabel = "N",
      description = "Threads of the Java work and, unless --omp-nthreads is given, of PyTorch;"
          + " default: all cores.")
  Integer nthreads;

  @Option(names = {"--omp-nthreads", "--omp_nthreads"}, paramLabel = "N",
      description = "PyTorch's intra-op threads (default: --nthreads, else all cores).")
  Integer ompNthreads;

  /** --nthreads, or null when not given. */
  public Integer nthreads() {
    if (nthreads != null) {
      BadArgumentException.require(nthreads >= 1, "--nthreads: expected >= 1, found "
          + nthreads);
    }
    return nthreads;
  }

  /** --omp-nthreads, or null when not given. */
  public Integer ompNthreads() {
    if (ompNthreads != null) {
      BadArgumentException.require(ompNthreads >= 1, "--omp-nthreads: expected >= 1, found "
          + ompNthreads);
    }
    return ompNthreads;
  }

  /** The Java pool's size: --nthreads, else every core the JVM sees. */
  public int javaThreads() {
    Integer n = nthreads();
    return n != null ? n : Runtime.getRuntime().availableProcessors();
  }

  /** Gives PyTorch --omp-nthreads (else --nthreads) intra-op threads; no-op when neither. */
  public void applyToTorch() {
    Integer omp = ompNthreads();
    Integer n = nthreads();
    if (omp != null || n != null) {
      setTorchThreads(omp != null ? omp : n);
    }
  }

  /** PyTorch's threads through DJL's properties; they count only before the engine loads. */
  public static void setTorchThreads(int threads) {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  /**
   * The whole work of a command that opens models or trains: checks the options, gives PyTorch
   * its threads before the engine loads, and runs {@code work} in the pool with PyTorch's
   * gradient recording off at the start, as on the thread that loaded the engine (PyTorch's
   * grad mode is per thread and on by default; training turns it on where it needs it).
   */
  public <T> T runModelWork(Callable<T> work) throws Exception {
    nthreads();
    ompNthreads();
    applyToTorch();
    return run(() -> {
      org.noddildm.model.Engines.setGradMode(false);
      return work.call();
    });
  }

  /**
   * Runs {@code work} in a pool of {@link #javaThreads()} threads, so that its parallel loops
   * (which run in the pool they are called from) use no more; its exceptions pass unchanged.
   */
  public <T> T run(Callable<T> work) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(javaThreads());
    try {
      return pool.submit(work).get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Exception x) {
        throw x;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw e;
    } finally {
      pool.shutdown();
    }
  }
}
