package org.noddildm.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.noddildm.app.evaluate.Evaluation;
import org.noddildm.app.options.GradientOptions;
import org.noddildm.app.options.SamplingOptions;
import org.noddildm.app.output.DatasetOutputs;
import org.noddildm.app.output.FitOutputs;
import org.noddildm.app.output.PredictionOutputs;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.app.report.Report;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.fit.NoddiFitConfig;
import org.noddildm.core.fit.NoddiModel;
import org.noddildm.core.fit.VoxelMapper;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.physics.anatomy.TemplateFiles;
import org.noddildm.core.physics.dataset.DatasetSpec;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.physics.phantom.PhantomFiles;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code noddi demo}: the README's main job on built-in example data. It makes a held-out
 * subject (the Colin27 anatomy with a deformation, pose and lesions from a seed no training run
 * uses), degrades it into a short low-resolution scan, predicts high-resolution maps with the
 * learned model (the pretrained one in the jar unless {@code --model} names another; its
 * default estimate, the refiner), runs the classic pipeline (NODDI fit of the low-resolution
 * scan, trilinear upsampling), scores both against the ground truth and writes the HTML report
 * comparing them. Each step calls, in this process, what the matching subcommand calls
 * (simulate, predict, fit, resample, evaluate, report) and writes the same files, so the demo's
 * folder shows what those commands make.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the main job on built-in example data: a held-out subject (Colin27"
        + " anatomy, unseen deformation), its short low-res scan, high-res maps from the learned"
        + " model and from the classic baseline, scores and an HTML report.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", defaultValue = "noddi-demo",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--subject-seed", defaultValue = "9001",
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
  PredictCommand.MethodName method;

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

  @Mixin SamplingOptions sampling = new SamplingOptions();

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter o = spec.commandLine().getOut();
    Path data = out.resolve("data");
    Path sub = data.resolve("sub-0001");
    Path base = out.resolve("baseline");
    Path dwi = sub.resolve(PairedDataset.DWI);
    Path upsampled = base.resolve("noddi_upsampled.nii.gz");
    Path pred = out.resolve("model").resolve("pred");
    Path truth = sub.resolve(PhantomFiles.MAPS);
    Path mask = sub.resolve(PhantomFiles.MASK);
    boolean deep = !noModel && (model != null || ShippedModel.available());
    if (anatomy == null) {
      anatomy = TemplateFiles.available(Anatomy.COLIN27) ? "colin27" : "procedural";
      if (anatomy.equals("procedural")) {
        o.println("demo: the Colin27 templates are not installed (Debian package mricron-data,"
            + " " + TemplateFiles.dir() + "); using the procedural phantom instead");
      }
    }
    int total = deep ? 6 : 5;
    int k = 0;
    PrintWriter err = spec.commandLine().getErr();

    step(o, ++k, total, "held-out subject (" + anatomy + " anatomy, seed " + seed + ") and"
        + " its short low-resolution scan");
    DatasetSpec d = DatasetSpec.defaults(1, seed);
    DatasetSpec ds = new DatasetSpec(1, seed, size, size, size, d.voxel(), d.supersample(),
        d.protocol(), null, d.degradation().withNoise(snr, 0), d.diffusivities(),
        Anatomy.parse(anatomy), null, null);
    DatasetOutputs.simulate(ds, data, true, false, err);
    Path bval = sub.resolve(PairedDataset.BVAL);
    Path bvec = sub.resolve(PairedDataset.BVEC);
    Path maskLow = sub.resolve(PairedDataset.MASK_LOWRES);
    GradientTable table = GradientIO.readFsl(bval, bvec);

    if (deep) {
      step(o, ++k, total, "learned model: high-resolution NODDI maps from the low-resolution"
          + " scan (" + (model != null ? model.toString() : "the pretrained model") + ")");
      predict(dwi, bval, bvec, maskLow, table, pred, o, err);
    }

    step(o, ++k, total, "classic baseline: NODDI fit of the low-resolution scan");
    Path lowres = base.resolve("lowres");
    Files.createDirectories(base);
    fit(dwi, bval, bvec, maskLow, table, lowres.toString(), err);

    step(o, ++k, total, "classic baseline: trilinear upsampling of the fitted maps to the"
        + " high-resolution grid");
    Volume up = ResampleCommand.resample(List.of(Path.of(lowres + "_ndi.nii.gz"),
        Path.of(lowres + "_odi.nii.gz"), Path.of(lowres + "_fwf.nii.gz")), truth, upsampled, 0f);
    o.println("wrote " + upsampled + " (" + up.shape() + ")");

    step(o, ++k, total, "scores against the ground truth (range 1.0, inside the brain mask)");
    if (deep) {
      o.println("learned model:");
      o.flush();
      Evaluation.run(Evaluation.Request.inMask(Path.of(pred + "_noddi.nii.gz"), truth,
          mask, out.resolve("scores_model.json")), o);
      o.println("classic baseline:");
      o.flush();
    }
    Evaluation.run(Evaluation.Request.inMask(upsampled, truth, mask,
        out.resolve("scores_baseline.json")), o);

    step(o, ++k, total, "HTML report");
    Path labels = sub.resolve(PhantomFiles.LABELS);
    Path report = out.resolve("report");
    if (deep) {
      Path[] sd = {Path.of(pred + "_ndi_std.nii.gz"), Path.of(pred + "_odi_std.nii.gz"),
          Path.of(pred + "_fwf_std.nii.gz")};
      List<Path> uncertainty = Files.exists(sd[0]) ? List.of(sd) : List.of();
      Report.run(Report.Request.of(Path.of(pred + "_noddi.nii.gz"),
          "learned model", upsampled, "classic baseline", uncertainty, truth, dwi, mask, labels,
          report), o);
    } else {
      Report.run(Report.Request.of(upsampled, "classic baseline", null,
          "comparison", List.of(), truth, dwi, mask, labels, report), o);
    }
    if (!deep) {
      o.println();
      o.println(noModel ? "--no-model: the report shows the classic baseline only."
          : "This build carries no pretrained model, so the report shows the classic baseline"
              + " only; --model DIR adds a model trained with noddi train.");
    }
    o.println("report: " + report.resolve("index.html").toAbsolutePath());
    o.flush();
    return 0;
  }

  /** The learned model's maps of the scan, in its low-res mask, written as predict does. */
  private void predict(Path dwi, Path bval, Path bvec, Path maskLow, GradientTable table,
      Path prefix, PrintWriter o, PrintWriter err) throws IOException {
    Path dir = model != null ? model : ShippedModel.locate();
    NiftiImage scan = NiftiReader.read(dwi);
    long start = System.nanoTime();
    try (Predictor predictor = Predictor.open(dir, Engines.device("cpu"))) {
      PredictOptions.Method m = method == null ? predictor.defaultMethod() : method.kind;
      PredictOptions opts = sampling.apply(PredictOptions.defaults().withMethod(m), 1);
      Volume maskVolume = NiftiReader.read(maskLow).volume();
      Predictor.Result r = PredictionOutputs.predict(predictor, scan.volume(), table, maskVolume,
          true, opts);
      long nanos = System.nanoTime() - start;
      Files.createDirectories(prefix.getParent());
      try (OutputSet outs = OutputSet.begin(err::println)) {
        PredictionOutputs.writeOutputs(outs, prefix.toString(), scan, r,
            new PredictionOutputs.Inputs(dwi, bval, bvec, maskLow, model, ModelIdentity.of(dir),
                "cpu", GradientOptions.source(dwi, List.of(bval, bvec))), nanos);
        outs.commit();
      }
      o.printf(Locale.ROOT, "predict: %s, factor %d -> wrote %s_{ndi,odi,fwf,noddi}.nii.gz%s"
          + " (%.1f s)%n", m == PredictOptions.Method.LDM ? String.format(Locale.ROOT,
              "diffusion model, DDIM %d steps, %d sample%s", sampling.steps(), sampling.samples(),
              sampling.samples() == 1 ? "" : "s") : "refiner (classic fit + learned correction)",
          predictor.factor(m), prefix, r.sd() != null ? " and the sd maps" : "", nanos / 1e9);
      o.flush();
    }
  }

  /** The classic NODDI fit of the scan in its low-res mask, written as fit does. */
  private static void fit(Path dwi, Path bval, Path bvec, Path maskLow, GradientTable table,
      String prefix, PrintWriter err) throws IOException {
    long start = System.nanoTime();
    try (NiftiReader reader = NiftiReader.open(dwi);
        OutputSet outs = OutputSet.begin(err::println)) {
      Mask brain = BrainMasks.read(maskLow, "the DWI grid", reader.grid());
      NoddiFitConfig c = NoddiFitConfig.defaults();
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("noddi", c);
      FitOutputs.fitAndStage(reader, table, brain, FitCommand.ModelKind.noddi.name(),
          new NoddiModel(table, c), settings, VoxelMapper.Fill.ZERO, outs, prefix,
          new FitOutputs.Inputs(dwi, bval, bvec, maskLow, GradientOptions.source(dwi,
              List.of(bval, bvec))), start, err);
      outs.commit();
    }
    err.flush();
  }

  private static void step(PrintWriter o, int k, int n, String what) {
    o.printf("%n[%d/%d] %s%n", k, n, what);
    o.flush();
  }
}
