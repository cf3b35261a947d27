package org.noddildm.app.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.DtiModel;
import org.noddildm.core.fit.FitSimulation;
import org.noddildm.core.fit.NoddiFitConfig;
import org.noddildm.core.fit.NoddiModel;
import org.noddildm.core.fit.VoxelFitter;
import org.noddildm.core.fit.VoxelMapper;
import org.noddildm.core.fit.VoxelModel;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi dev bench fit}: accuracy of the NODDI fitters on simulated voxels with known
 * parameters (noiseless and Rician noise at an SNR) and speed of NODDI and DTI over a volume in
 * voxels per second on all cores, by default on the NODDI protocol of Zhang et al. 2012 (9 b0,
 * 30 x b=700, 60 x b=2000).
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Accuracy (MAE of NDI, ODI, FWF) and speed (voxels/s) of the fitters.")
public final class BenchFitCommand implements Callable<Integer> {
  @Option(names = "--voxels", defaultValue = "20000", description = "Simulated voxels for accuracy (default: ${DEFAULT-VALUE}).")
  int voxels;

  @Option(names = "--speed-voxels", defaultValue = "200000", description = "Voxels for the speed runs (default: ${DEFAULT-VALUE}).")
  int speedVoxels;

  @Option(names = "--refine-voxels", defaultValue = "300", description = "Voxels for the slow refined fit (0: skip) (default: ${DEFAULT-VALUE}).")
  int refineVoxels;

  @Option(names = "--snr", defaultValue = "30", description = "b0 SNR of the noisy runs (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--protocol", defaultValue = "noddi",
      description = "hcp, noddi, clinical or a spec like 0x6,700x30,2000x60 (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--phantom", description = "Also fit the digital brain phantom (64^3) and report its errors.")
  boolean phantom;

  @Option(names = "--phantom-out", paramLabel = "DIR", description = "Write the phantom, its DWI and the fitted maps here (implies --phantom).")
  java.nio.file.Path phantomOut;

  @Option(names = "--skip-voxels", description = "Skip the simulated-voxel accuracy and speed runs.")
  boolean skipVoxels;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    GradientTable table = Protocol.parse(protocol).table();
    out.printf(Locale.ROOT, "protocol %s; %d cores; Java %s%n", table.summary(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    FitSimulation.Range range = FitSimulation.Range.realistic();
    out.printf(Locale.ROOT, "parameters uniform: NDI %.2f..%.2f, ODI %.2f..%.2f, FWF %.2f..%.2f,"
        + " random directions%n", range.ndiMin(), range.ndiMax(), range.odiMin(), range.odiMax(),
        range.fwfMin(), range.fwfMax());
    if (phantom || phantomOut != null) {
      PhantomFitBench.run(out, table, snr, seed, phantomOut);
    }
    if (skipVoxels) {
      return 0;
    }
    out.println("estimator   snr    voxels  MAE NDI  MAE ODI  MAE FWF   p95 NDI  p95 ODI  p95 FWF"
        + "  us CPU/vox  angle deg");
    for (NoddiFitConfig.Estimator e : NoddiFitConfig.Estimator.values()) {
      NoddiModel m = new NoddiModel(table, NoddiFitConfig.defaults().withEstimator(e));
      for (double s : new double[] {0, snr}) {
        accuracy(out, e.name().toLowerCase(Locale.ROOT), m, table, range, s, voxels);
      }
    }
    if (refineVoxels > 0) {
      NoddiModel m = new NoddiModel(table, NoddiFitConfig.defaults().withRefine(true));
      for (double s : new double[] {0, snr}) {
        accuracy(out, "refined", m, table, range, s, refineVoxels);
      }
    }
    out.println();
    out.println("speed over a volume, all cores (VoxelMapper, after one warm-up pass); load"
        + " average now " + String.format(Locale.ROOT, "%.1f",
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()) + ":");
    for (NoddiFitConfig.Estimator e : NoddiFitConfig.Estimator.values()) {
      NoddiModel m = new NoddiModel(table, NoddiFitConfig.defaults().withEstimator(e));
      long t0 = System.nanoTime();
      m.prepare();
      double build = (System.nanoTime() - t0) / 1e9;
      speed(out, "noddi " + e.name().toLowerCase(Locale.ROOT) + String.format(Locale.ROOT,
          " (dictionary build %.2f s)", build), m, table);
    }
    speed(out, "dti (b <= 1500)", new DtiModel(table, DtiModel.Config.defaults()), table);
    out.flush();
    return 0;
  }

  private void accuracy(PrintWriter out, String name, NoddiModel m, GradientTable table,
      FitSimulation.Range range, double s, int count) {
    FitSimulation.Voxels v = FitSimulation.draw(table, count, range, 1000, s, seed);
    double[][] err = new double[3][count];
    double[] sum = new double[3];
    int failed = 0;
    double angle = 0;
    int angles = 0;
    VoxelFitter f = m.newFitter();
    double[] o = new double[m.outputCount()];
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = mx.getCurrentThreadCpuTime();
    for (int k = 0; k < count; k++) {
      NoddiParams p = v.truth()[k];
      if (!f.fit(v.signals()[k], o)) {
        failed++;
        o[0] = o[1] = o[2] = Double.NaN;
      }
      double[] e = {Math.abs(o[0] - p.ndi()), Math.abs(o[1] - p.odi()), Math.abs(o[2] - p.fwf())};
      double[] mu = p.direction();
      double cos = Math.abs(mu[0] * o[3] + mu[1] * o[4] + mu[2] * o[5]);
      if (cos > 0) {
        angle += Math.toDegrees(Math.acos(Math.min(1, cos)));
        angles++;
      }
      for (int q = 0; q < 3; q++) {
        err[q][k] = e[q];
        sum[q] += e[q];
      }
    }
    double cpuMicros = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / count;
    double[] p95 = new double[3];
    for (int q = 0; q < 3; q++) {
      java.util.Arrays.sort(err[q]);
      p95[q] = err[q][(int) Math.min(count - 1, Math.floor(0.95 * count))];
    }
    out.printf(Locale.ROOT, "%-9s %5s %9d  %7.4f  %7.4f  %7.4f   %7.4f  %7.4f  %7.4f  %8.1f"
        + "  %7.1f%s%n", name, s > 0 ? String.format(Locale.ROOT, "%.0f", s) : "inf", count,
        sum[0] / count, sum[1] / count, sum[2] / count, p95[0], p95[1], p95[2], cpuMicros,
        angles > 0 ? angle / angles : Double.NaN,
        failed > 0 ? "  (" + failed + " failed)" : "");
    out.flush();
  }

  private void speed(PrintWriter out, String name, VoxelModel m, GradientTable table) {
    int n = speedVoxels;
    FitSimulation.Voxels v = FitSimulation.draw(table, Math.min(n, 20000),
        FitSimulation.Range.realistic(), 1000, snr, seed + 1);
    Grid grid = Grid.of(n, 1, 1, 1.0);
    int nt = table.size();
    float[] data = new float[n * nt];
    for (int i = 0; i < n; i++) {
      double[] s = v.signals()[i % v.signals().length];
      for (int t = 0; t < nt; t++) {
        data[i + t * n] = (float) s[t];
      }
    }
    Volume dwi = new Volume(grid, nt, data);
    VoxelMapper.map(dwi, null, table.b0Indices(), m, VoxelMapper.Fill.ZERO, null);
    // CPU time of one thread fitting voxels: what a voxel costs, whatever else the machine runs
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    VoxelFitter f = m.newFitter();
    double[] o = new double[m.outputCount()];
    int single = Math.min(n, 20000);
    long c0 = mx.getCurrentThreadCpuTime();
    for (int k = 0; k < single; k++) {
      f.fit(v.signals()[k % v.signals().length], o);
    }
    double cpuMicros = (mx.getCurrentThreadCpuTime() - c0) / 1e3 / single;
    long t0 = System.nanoTime();
    VoxelMapper.Result r = VoxelMapper.map(dwi, null, table.b0Indices(), m,
        VoxelMapper.Fill.ZERO, null);
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf(Locale.ROOT, "%-45s %9d voxels in %6.2f s = %9.0f voxels/s wall (%d fitted);"
        + " one thread: %.2f us CPU/voxel = %.0f voxels/s per core%n", name, n, secs, n / secs,
        r.counts().fitted(), cpuMicros, 1e6 / cpuMicros);
    out.flush();
  }
}
