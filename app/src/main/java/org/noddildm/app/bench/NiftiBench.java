package org.noddildm.app.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.console.Progress;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiStreamWriter;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * Writes a large 4D float32 image volume by volume, then reads it back volume by volume and as a
 * slab, reporting throughput and the peak Java heap, to show that an HCP-sized DWI is handled
 * without holding it whole (let alone twice).
 */
@Command(name = "nifti", mixinStandardHelpOptions = true,
    description = "Stream-write and read back a large 4D NIfTI (default HCP DWI size).")
public final class NiftiBench implements Callable<Integer> {
  @Option(names = "--dims", split = ",", defaultValue = "145,174,145,288",
      description = "x,y,z,volumes (default: ${DEFAULT-VALUE}, an HCP DWI).")
  int[] dims;

  @Option(names = "--gz", description = "Write and read .nii.gz instead of .nii.")
  boolean gz;

  @Option(names = "--dir", paramLabel = "DIR", description = "Scratch folder (default: a temp"
      + " folder, deleted afterwards).")
  Path dir;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("nb");
    Path file = scratch.resolve(gz ? "bench.nii.gz" : "bench.nii");
    Grid grid = Grid.of(dims[0], dims[1], dims[2], 1.25);
    int nt = dims[3];
    double gb = (double) grid.size() * nt * 4 / 1e9;
    try {
      resetPeak();
      long t0 = System.nanoTime();
      Volume vol = Volume.zeros(grid, 1);
      try (NiftiStreamWriter w = new NiftiStreamWriter(file, grid, nt,
          NiftiWriter.Options.defaults()); Progress p = new Progress("write", nt, "vol")) {
        for (int t = 0; t < nt; t++) {
          // Noisy values like a real DWI's, so that gzip has realistic work to do.
          java.util.SplittableRandom rng = new java.util.SplittableRandom(t);
          float[] d = vol.data();
          for (int i = 0; i < d.length; i++) {
            d[i] = (float) (500 + 50 * rng.nextGaussian());
          }
          w.write(vol);
          p.step(1);
        }
        w.commit();
      }
      double write = (System.nanoTime() - t0) / 1e9;
      long writePeak = peakHeap();
      resetPeak();
      t0 = System.nanoTime();
      double[] sum = {0};
      try (NiftiReader r = NiftiReader.open(file); Progress p = new Progress("read", nt, "vol")) {
        r.forEachVolume((t, v) -> {
          sum[0] += v.data()[t % v.data().length];
          p.step(1);
        });
      }
      double read = (System.nanoTime() - t0) / 1e9;
      long readPeak = peakHeap();
      resetPeak();
      t0 = System.nanoTime();
      try (NiftiReader r = NiftiReader.open(file)) {
        Volume slab = r.readSlab(dims[2] / 2, dims[2] / 2 + 4);
        sum[0] += slab.data()[0];
      }
      double slab = (System.nanoTime() - t0) / 1e9;
      long slabPeak = peakHeap();
      out.printf(Locale.ROOT, "image %d x %d x %d x %d float32 = %.2f GB (%s, %.2f GB on disk)%n",
          dims[0], dims[1], dims[2], nt, gb, gz ? ".nii.gz" : ".nii", Files.size(file) / 1e9);
      out.printf(Locale.ROOT, "stream write   %6.1f s  %6.0f MB/s  peak heap %5d MB%n", write,
          gb * 1e3 / write, writePeak >> 20);
      out.printf(Locale.ROOT, "read by volume %6.1f s  %6.0f MB/s  peak heap %5d MB%n", read,
          gb * 1e3 / read, readPeak >> 20);
      out.printf(Locale.ROOT, "read 4-slice slab of all volumes %5.1f s  peak heap %5d MB%n",
          slab, slabPeak >> 20);
      out.printf(Locale.ROOT, "max heap allowed %d MB (checksum %.0f)%n",
          Runtime.getRuntime().maxMemory() >> 20, sum[0]);
    } finally {
      Files.deleteIfExists(file);
      if (dir == null) {
        Files.deleteIfExists(scratch);
      }
    }
    return 0;
  }

  private static void resetPeak() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
