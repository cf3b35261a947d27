package org.noddildm.app.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.metrics.MetricsBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code noddi dev bench metrics}: SSIM, PSNR and white-noise-check timings on one volume. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = "Time SSIM (uniform and Gaussian window), PSNR and the white-noise check on a"
        + " seeded random volume (default the HCP grid, 145 x 174 x 145).")
public final class MetricsBench implements Callable<Integer> {
  @Option(names = "--dims", split = ",", defaultValue = "145,174,145", hideParamSyntax = true,
      paramLabel = "X,Y,Z", description = "Volume size (default: ${DEFAULT-VALUE}).")
  int[] dims;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    BadArgumentException.require(dims.length == 3 && dims[0] >= 11 && dims[1] >= 11
            && dims[2] >= 11, "--dims: expected X,Y,Z each >= 11 (the Gaussian SSIM window),"
            + " found " + java.util.Arrays.toString(dims));
    PrintWriter out = spec.commandLine().getOut();
    MetricsBenchmark.run(out, dims[0], dims[1], dims[2]);
    out.flush();
    return 0;
  }
}
