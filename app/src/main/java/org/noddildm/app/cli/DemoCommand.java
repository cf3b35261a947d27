package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.noddildm.core.NoddiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi demo}: the README's main job on built-in example data. It makes a held-out
 * phantom subject (a seed no training run uses), degrades it into a short low-resolution scan,
 * runs the classic pipeline (NODDI fit of the low-resolution scan, trilinear upsampling),
 * scores it against the ground truth and writes the HTML report. Each step is one of the
 * ordinary subcommands, so the demo doubles as a worked example of them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the main job on built-in example data: a held-out phantom subject,"
        + " its degraded scan, the classic baseline, scores and an HTML report.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", defaultValue = "noddi-demo",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", defaultValue = "9001",
      description = "Phantom seed; 9000 and above are never used for training"
          + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--size", defaultValue = "64",
      description = "High-resolution grid size per axis (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--snr", defaultValue = "30",
      description = "b0 SNR of the low-resolution scan (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--model", paramLabel = "DIR",
      description = "A trained model (noddi train) to run beside the baseline: predict,"
          + " scores and a second report. No pretrained model ships yet.")
  Path model;

  @Option(names = "--steps", defaultValue = "50", paramLabel = "N",
      description = "DDIM steps of the model's prediction (default: ${DEFAULT-VALUE}).")
  int steps;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    Path data = out.resolve("data");
    Path sub = data.resolve("sub-0001");
    Path base = out.resolve("baseline");
    Path dwi = sub.resolve("dwi_lowres.nii.gz");
    Path upsampled = base.resolve("noddi_upsampled.nii.gz");

    step(o, 1, "held-out phantom subject (seed " + seed + ") and its short low-resolution scan");
    run("simulate", "--out", data.toString(), "--subjects", "1", "--seed", Long.toString(seed),
        "--size", Integer.toString(size), "--snr", Double.toString(snr), "--force");

    step(o, 2, "classic baseline: NODDI fit of the low-resolution scan");
    run("fit", "--dwi", dwi.toString(), "--bval", sub.resolve("dwi_lowres.bval").toString(),
        "--bvec", sub.resolve("dwi_lowres.bvec").toString(),
        "--mask", sub.resolve("mask_lowres.nii.gz").toString(),
        "--out", base.resolve("lowres").toString());

    step(o, 3, "trilinear upsampling of the fitted maps to the high-resolution grid");
    run("resample", "--in", base.resolve("lowres_ndi.nii.gz") + ","
        + base.resolve("lowres_odi.nii.gz") + "," + base.resolve("lowres_fwf.nii.gz"),
        "--like", sub.resolve("noddi.nii.gz").toString(), "--out", upsampled.toString());

    step(o, 4, "scores against the ground truth (range 1.0, inside the brain mask)");
    run("evaluate", "--pred", upsampled.toString(), "--ref", sub.resolve("noddi.nii.gz")
        .toString(), "--mask", sub.resolve("mask.nii.gz").toString(), "--range", "1.0",
        "--json", out.resolve("scores_baseline.json").toString());

    step(o, 5, "HTML report");
    run("report", "--pred", upsampled.toString(), "--ref", sub.resolve("noddi.nii.gz")
        .toString(), "--input", dwi.toString(), "--mask", sub.resolve("mask.nii.gz").toString(),
        "--labels", sub.resolve("labels.nii.gz").toString(), "--out",
        out.resolve("report").toString());

    if (model != null) {
      Path pred = out.resolve("model").resolve("pred");
      o.printf("%n[model] noddi predict with %s (DDIM %d steps)%n", model, steps);
      o.flush();
      run("predict", "--model", model.toString(), "--dwi", dwi.toString(), "--bval",
          sub.resolve("dwi_lowres.bval").toString(), "--bvec",
          sub.resolve("dwi_lowres.bvec").toString(), "--out", pred.toString(), "--steps",
          Integer.toString(steps), "--seed", "1");
      o.printf("%n[model] scores of the model against the ground truth (the baseline's are"
          + " above)%n");
      run("evaluate", "--pred", pred + "_noddi.nii.gz", "--ref", sub.resolve("noddi.nii.gz")
          .toString(), "--mask", sub.resolve("mask.nii.gz").toString(), "--range", "1.0",
          "--json", out.resolve("scores_model.json").toString());
      run("report", "--pred", pred + "_noddi.nii.gz", "--ref", sub.resolve("noddi.nii.gz")
          .toString(), "--input", dwi.toString(), "--mask", sub.resolve("mask.nii.gz")
          .toString(), "--labels", sub.resolve("labels.nii.gz").toString(), "--out",
          out.resolve("report-model").toString());
      o.println("model report: " + out.resolve("report-model").resolve("index.html")
          .toAbsolutePath());
    } else {
      o.println();
      o.println("No pretrained deep model ships yet (see docs/training-log.md), so the report");
      o.println("shows the classic baseline against the ground truth; --model DIR adds a model"
          + " trained with noddi train.");
    }
    o.println("report: " + out.resolve("report").resolve("index.html").toAbsolutePath());
    o.flush();
    return 0;
  }

  private static void step(PrintWriter o, int k, String what) {
    Subcommands.header(o, k, 5, what);
  }

  /** Runs a subcommand with the same output; a failure stops the demo with its message. */
  private void run(String... args) {
    int code = Subcommands.run(spec, args);
    if (code != 0) {
      throw new DemoStepFailed(args[0], code);
    }
  }

  /** A step of the demo failed; its own error line was already printed. */
  static final class DemoStepFailed extends NoddiException {
    DemoStepFailed(String step, int code) {
      super("demo step '" + step + "' failed with exit code " + code);
    }
  }
}
