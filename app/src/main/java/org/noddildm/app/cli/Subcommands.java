package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.app.Main;
import org.noddildm.core.physics.PairedDataset;
import picocli.CommandLine;

/**
 * Runs other noddi subcommands from inside a command that chains them (demo, train, bench
 * quality), sharing its output streams, so that each step prints and fails exactly as when run
 * by hand. Also the argument lists of the steps that demo and bench quality both run on a
 * subject folder of a paired dataset ({@code noddi simulate} layout), so the benchmark measures
 * exactly what the demo shows.
 */
public final class Subcommands {
  private Subcommands() {}

  /** Runs {@code noddi args...} and returns its exit code; its own error line is printed. */
  public static int run(CommandLine.Model.CommandSpec spec, String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setOut(spec.commandLine().getOut());
    cl.setErr(spec.commandLine().getErr());
    return cl.execute(args);
  }

  /** Prints the "[k/n] what" header of a step. */
  static void header(PrintWriter o, int k, int n, String what) {
    o.printf("%n[%d/%d] %s%n", k, n, what);
    o.flush();
  }

  /**
   * {@code noddi fit} of a subject's scan ({@code dwi_lowres.*}) inside its low-res mask,
   * writing {@code PREFIX_ndi.nii.gz}, ...; {@code more} are further fit options.
   */
  public static String[] fitScan(Path subject, Path prefix, String... more) {
    List<String> a = new ArrayList<>(List.of("fit", "--dwi",
        subject.resolve(PairedDataset.DWI).toString(), "--bval",
        subject.resolve(PairedDataset.BVAL).toString(), "--bvec",
        subject.resolve(PairedDataset.BVEC).toString(), "--mask",
        subject.resolve(PairedDataset.MASK_LOWRES).toString(), "--out", prefix.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** {@code noddi resample} of the NDI, ODI, FWF a fit wrote at {@code prefix} onto {@code like}. */
  public static String[] upsampleFit(Path prefix, Path like, Path out) {
    return new String[] {"resample", "--in", prefix + "_ndi.nii.gz," + prefix + "_odi.nii.gz,"
        + prefix + "_fwf.nii.gz", "--like", like.toString(), "--out", out.toString()};
  }

  /**
   * {@code noddi predict} of a subject's scan inside its low-res mask (as the fit), with the
   * pretrained model when {@code model} is null and the model's default method when
   * {@code method} is null.
   */
  public static String[] predictScan(Path subject, Path prefix, String method, int steps,
      int samples, long seed, Path model) {
    List<String> a = new ArrayList<>(List.of("predict", "--dwi",
        subject.resolve(PairedDataset.DWI).toString(), "--bval",
        subject.resolve(PairedDataset.BVAL).toString(), "--bvec",
        subject.resolve(PairedDataset.BVEC).toString(), "--mask",
        subject.resolve(PairedDataset.MASK_LOWRES).toString(), "--out", prefix.toString(), "--steps",
        Integer.toString(steps), "--samples", Integer.toString(samples), "--seed",
        Long.toString(seed)));
    if (method != null) {
      a.add("--method");
      a.add(method);
    }
    if (model != null) {
      a.add("--model");
      a.add(model.toString());
    }
    return a.toArray(String[]::new);
  }
}
