package org.noddildm.core.metrics;

import java.util.Locale;
import java.util.SplittableRandom;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * Times SSIM, PSNR and the white-noise check on a seeded random volume of a given size
 * (default 145 x 174 x 145, the HCP grid). Run {@code ./noddi dev bench metrics} or
 * {@code java -cp core/target/classes org.noddildm.core.metrics.MetricsBenchmark [nx ny nz]}.
 * Prints the median of 5 timed runs after 3 warm-up runs, as wall-clock time and as the CPU
 * time of the whole process (all threads), which other jobs sharing the machine disturb less.
 */
public final class MetricsBenchmark {
  private MetricsBenchmark() {}

  public static void main(String[] args) {
    int nx = args.length == 3 ? Integer.parseInt(args[0]) : 145;
    int ny = args.length == 3 ? Integer.parseInt(args[1]) : 174;
    int nz = args.length == 3 ? Integer.parseInt(args[2]) : 145;
    java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
    run(out, nx, ny, nz);
  }

  /** Runs the timings on an nx x ny x nz volume, printing one line per measurement. */
  public static void run(java.io.PrintWriter out, int nx, int ny, int nz) {
    Grid g = Grid.of(nx, ny, nz, 1.25);
    SplittableRandom rng = new SplittableRandom(7);
    float[] a = new float[g.size()];
    float[] b = new float[g.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextDouble();
      b[i] = a[i] + (float) (0.05 * rng.nextGaussian());
    }
    Volume x = Volume.of(g, a);
    Volume y = Volume.of(g, b);
    out.printf(Locale.ROOT, "volume %s (%d voxels), %d cores, Java %s%n", g.shape(),
        g.size(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    time(out, "SSIM uniform 7", () -> Ssim.compute(x, y, 0, 1.0, SsimOptions.defaults()));
    time(out, "SSIM gaussian 1.5", () -> Ssim.compute(x, y, 0, 1.0, SsimOptions.gaussian(1.5)));
    time(out, "PSNR", () -> ErrorMetrics.psnr(y, x, 0, null, 1.0));
    time(out, "white-noise check",
        () -> WhiteNoiseCheck.check(a, WhiteNoiseCheck.DEFAULT_THRESHOLD));
  }

  private static void time(java.io.PrintWriter out, String label, Runnable r) {
    for (int i = 0; i < 3; i++) {
      r.run();
    }
    double[] t = new double[5];
    double[] cpu = new double[5];
    for (int i = 0; i < t.length; i++) {
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
      cpu[i] = (cpuNanos() - c0) / 1e6;
    }
    java.util.Arrays.sort(t);
    java.util.Arrays.sort(cpu);
    out.printf(Locale.ROOT, "%-20s wall median %7.1f ms (min %.1f, max %.1f), CPU median"
        + " %7.1f ms%n", label, t[2], t[0], t[4], cpu[2]);
  }

  /** CPU time of this process in ns, or -1 where the JVM does not report it. */
  private static long cpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
  }
}
