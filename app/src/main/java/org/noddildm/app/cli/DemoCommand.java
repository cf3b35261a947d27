package org.noddildm.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.noddildm.core.NoddiException;
import org.noddildm.core.physics.Anatomy;
import org.noddildm.core.physics.PairedDataset;
import org.noddildm.core.physics.anatomy.TemplateFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi demo}: the README's main job on built-in example data. It makes a held-out
 * subject (the Colin27 anatomy with a deformation, pose and lesions from a seed no training run
 * uses), degrades it into a short low-resolution scan, predicts high-resolution maps with the
 * learned model (the pretrained one in the jar unless {@code --model} names another; its
 * default estimate, the refiner), runs the classic pipeline (NODDI fit of the low-resolution
 * scan, trilinear upsampling), scores both against the ground truth and writes the HTML report
 * comparing them. Each step is one of the ordinary subcommands, so the demo doubles as a worked
 * example of them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the main job on built-in example data: a held-out subject (Colin27"
        + " anatomy, unseen deformation), its short low-res scan, high-res maps from the learned"
        + " model and from the classic baseline, scores and an HTML report.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", defaultValue = "noddi-demo",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", defaultValue = "9001",
      description = "Subject seed; 9000 and above are never used for training"
          + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--anatomy", paramLabel = "A",
      description = "Anatomy of the subject: colin27, inia19 (a macaque brain no model is"
          + " trained on) or procedural (default: colin27 when Debian's mricron-data templates"
          + " are installed, else procedural).")
  String anatomy;

  @Option(names = "--method", paramLabel = "refine|ldm",
      description = "The model's estimate (default: the model's default, the refiner when it"
          + " has one).")
  String method;

  @Option(names = "--size", defaultValue = "64",
      description = "High-resolution grid size per axis (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--snr", defaultValue = "30",
      description = "b0 SNR of the low-resolution scan (default: ${DEFAULT-VALUE}).")
  double snr;

  @Option(names = "--model", paramLabel = "DIR",
      description = "A trained model (noddi train) instead of the pretrained one.")
  Path model;

  @Option(names = "--no-model", description = "Only the classic baseline (no deep model).")
  boolean noModel;

  @Option(names = "--steps", defaultValue = "10", paramLabel = "N",
      description = "DDIM steps when the diffusion model predicts (default:"
          + " ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--samples", defaultValue = "4", paramLabel = "N",
      description = "Diffusion samples averaged into the maps; their spread is written as"
          + " uncertainty maps (default: ${DEFAULT-VALUE}).")
  int samples;

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter o = spec.commandLine().getOut();
    Path data = out.resolve("data");
    Path sub = data.resolve("sub-0001");
    Path base = out.resolve("baseline");
    Path dwi = sub.resolve(PairedDataset.DWI);
    Path upsampled = base.resolve("noddi_upsampled.nii.gz");
    Path pred = out.resolve("model").resolve("pred");
    Path truth = sub.resolve("noddi.nii.gz");
    Path mask = sub.resolve("mask.nii.gz");
    boolean deep = !noModel && (model != null || PretrainedModel.available());
    if (anatomy == null) {
      anatomy = TemplateFiles.available(Anatomy.COLIN27) ? "colin27" : "procedural";
      if (anatomy.equals("procedural")) {
        o.println("demo: the Colin27 templates are not installed (Debian package mricron-data,"
            + " " + TemplateFiles.dir() + "); using the procedural phantom instead");
      }
    }
    int total = deep ? 6 : 5;
    int k = 0;

    step(o, ++k, total, "held-out subject (" + anatomy + " anatomy, seed " + seed + ") and"
        + " its short low-resolution scan");
    run("simulate", "--out", data.toString(), "--subjects", "1", "--seed", Long.toString(seed),
        "--size", Integer.toString(size), "--snr", Double.toString(snr), "--anatomy", anatomy,
        "--force");

    if (deep) {
      step(o, ++k, total, "learned model: high-resolution NODDI maps from the low-resolution"
          + " scan (" + (model != null ? model.toString() : "the pretrained model") + ")");
      run(Subcommands.predictScan(sub, pred, method, steps, samples, 1, model));
    }

    step(o, ++k, total, "classic baseline: NODDI fit of the low-resolution scan");
    run(Subcommands.fitScan(sub, base.resolve("lowres")));

    step(o, ++k, total, "classic baseline: trilinear upsampling of the fitted maps to the"
        + " high-resolution grid");
    run(Subcommands.upsampleFit(base.resolve("lowres"), truth, upsampled));

    step(o, ++k, total, "scores against the ground truth (range 1.0, inside the brain mask)");
    if (deep) {
      o.println("learned model:");
      o.flush();
      run("evaluate", "--pred", pred + "_noddi.nii.gz", "--ref", truth.toString(), "--mask",
          mask.toString(), "--range", "1.0", "--json", out.resolve("scores_model.json")
              .toString());
      o.println("classic baseline:");
      o.flush();
    }
    run("evaluate", "--pred", upsampled.toString(), "--ref", truth.toString(), "--mask",
        mask.toString(), "--range", "1.0", "--json", out.resolve("scores_baseline.json")
            .toString());

    step(o, ++k, total, "HTML report");
    java.util.List<String> r = new java.util.ArrayList<>(java.util.List.of("report", "--ref",
        truth.toString(), "--input", dwi.toString(), "--mask", mask.toString(), "--labels",
        sub.resolve("labels.nii.gz").toString(), "--out", out.resolve("report").toString()));
    if (deep) {
      r.addAll(java.util.List.of("--pred", pred + "_noddi.nii.gz", "--pred-label", "learned model",
          "--compare", upsampled.toString(), "--compare-label", "classic baseline"));
      if (java.nio.file.Files.exists(Path.of(pred + "_ndi_std.nii.gz"))) {
        r.addAll(java.util.List.of("--uncertainty", pred + "_ndi_std.nii.gz," + pred
            + "_odi_std.nii.gz," + pred + "_fwf_std.nii.gz"));
      }
    } else {
      r.addAll(java.util.List.of("--pred", upsampled.toString(), "--pred-label",
          "classic baseline"));
    }
    run(r.toArray(String[]::new));
    if (!deep) {
      o.println();
      o.println(noModel ? "--no-model: the report shows the classic baseline only."
          : "This build carries no pretrained model, so the report shows the classic baseline"
              + " only; --model DIR adds a model trained with noddi train.");
    }
    o.println("report: " + out.resolve("report").resolve("index.html").toAbsolutePath());
    o.flush();
    return 0;
  }

  private static void step(PrintWriter o, int k, int n, String what) {
    Subcommands.header(o, k, n, what);
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
