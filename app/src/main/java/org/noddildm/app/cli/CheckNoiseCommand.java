package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.metrics.WhiteNoiseCheck;
import org.noddildm.core.volume.Volume;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code noddi dev check-noise}: is an image (e.g. a noised latent) white noise? */
@Command(name = "check-noise", mixinStandardHelpOptions = true,
    description = "The white-noise check: mean, variance and the largest autocorrelation at a"
        + " non-zero lag of all values of a NIfTI image (or .npy array), flattened in storage"
        + " order.")
public final class CheckNoiseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE",
      description = "A .nii/.nii.gz image or a float32/float64 .npy array (e.g. a saved latent).")
  Path file;

  @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.023",
      description = "Largest allowed |autocorrelation| at a non-zero lag (default:"
          + " ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--volume", paramLabel = "K",
      description = "Check only volume K of a 4D image (default: all values).")
  Integer volume;

  @Option(names = "--strict", description = "Exit with status 3 when the check fails.")
  boolean strict;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    float[] x;
    String name = file.getFileName().toString();
    if (name.endsWith(".npy")) {
      BadArgumentException.require(volume == null, "--volume: expected a NIfTI image, found"
          + " a .npy array");
      x = Npy.readFloats(file);
    } else {
      Volume v = NiftiReader.read(file).volume();
      x = volume == null ? v.data() : v.volume(volume).data();
    }
    WhiteNoiseCheck.Result r = WhiteNoiseCheck.check(x, threshold);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "samples        %d%n", r.n());
    out.printf(Locale.ROOT, "mean           %.6g%n", r.mean());
    out.printf(Locale.ROOT, "variance       %.6g%n", r.variance());
    out.printf(Locale.ROOT, "worst lag      %d (autocorrelation %.5f)%n", r.worstLag(),
        r.worstValue());
    out.printf(Locale.ROOT, "lags above     %d with |r| > %.4g%n", r.lagsAbove(), threshold);
    out.printf(Locale.ROOT, "white noise    %s%n", r.passes() ? "yes (passes)"
        : "no (fails)");
    double typical = Math.sqrt(2 * Math.log(r.n()) / r.n());
    if (typical > threshold) {
      out.printf(Locale.ROOT, "note           with %d samples white noise itself reaches |r| of"
          + " about %.3f; the threshold suits larger samples%n", r.n(), typical);
    }
    out.flush();
    return strict && !r.passes() ? 3 : 0;
  }
}
