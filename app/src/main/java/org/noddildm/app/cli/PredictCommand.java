package org.noddildm.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.app.options.GradientOptions;
import org.noddildm.app.options.SamplingOptions;
import org.noddildm.app.options.SeedOption;
import org.noddildm.app.options.ThreadOptions;
import org.noddildm.app.output.PredictionOutputs;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.OutputGuard;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi predict}: high-resolution NODDI maps from a short low-resolution DWI scan with a
 * trained model: the refiner, the diffusion model built on it, or the classic fit.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Predict high-resolution NDI, ODI and FWF maps from a low-resolution DWI"
        + " with a trained model: the refiner (classic NODDI fit upsampled plus a learned"
        + " correction) or the latent diffusion model built on it (DDIM in the NODDI VQ-GAN's"
        + " latent space, given the refiner's maps and the classic fit; the mean of its samples"
        + " is the estimate and their spread the sd). The scan is reordered to LAS for the"
        + " model and the maps are written in the scan's own voxel order.",
        "Writes PREFIX_ndi/odi/fwf.nii.gz and PREFIX_noddi.nii.gz (3 volumes) on the"
            + " high-res grid (the scan's field of view, voxels smaller by the model's factor),"
            + " PREFIX_*_std.nii.gz with --samples > 1 (and, for a model with a calibration,"
            + " the 90%% interval PREFIX_noddi_lower/upper.nii.gz), and PREFIX_prediction.json."})
public final class PredictCommand implements Callable<Integer> {;

  @Option(names = "--dwi", required = true, paramLabel = "FILE",
      description = "Low-resolution DWI (4D NIfTI).")
  Path dwi;

  @Mixin GradientOptions gradients;

  /** The b-values and b-vectors files, resolved from {@link #gradients} in {@code call}. */
  private Path bval;
  private Path bvec;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model directory (noddi train --out, or a noddi train-ldm directory).")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "PREFIX",
      description = "Output prefix, e.g. out/sub01 gives out/sub01_ndi.nii.gz, ...")
  String out;

  /** The estimates a user can ask for. */
  enum MethodName {
    refine(PredictOptions.Method.REFINE), ldm(PredictOptions.Method.LDM),
    classic(PredictOptions.Method.CLASSIC);

    final PredictOptions.Method kind;

    MethodName(PredictOptions.Method kind) {
      this.kind = kind;
    }
  }

  @Option(names = "--method", paramLabel = "refine|ldm|classic",
      description = "refine: the classic fit upsampled plus the refiner's learned correction;"
          + " ldm: the latent diffusion model built on the refiner (samples, their mean, sd and"
          + " interval); classic: the fit upsampled trilinearly."
          + " Default: refine when the model has a refiner, else ldm.")
  MethodName method;

  @Option(names = "--mask", paramLabel = "FILE",
      description = "Brain mask on the scan's grid or on the output grid (nonzero = brain);"
          + " the maps are 0 outside it. Default: median Otsu of the scan's mean b0.")
  Path mask;

  @Option(names = "--no-mask", description = "Keep the model's values outside the brain too.")
  boolean noMask;

  @Option(names = "--force", description = "Replace the outputs of an earlier run (without it,"
      + " an existing output file is an error).")
  boolean force;

  @Mixin ThreadOptions threads = new ThreadOptions();

  @Mixin SamplingOptions sampling = new SamplingOptions();

  @Mixin SeedOption seedOption = new SeedOption();

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  private ModelIdentity modelIdentity;
  private String gradientSource;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    BadArgumentException.require(!(noMask && mask != null), "--mask/--no-mask: expected one of"
        + " them, found both");
    if (!Files.isRegularFile(dwi)) {
      throw new BadFileException(dwi, "expected an input file, found none");
    }
    List<Path> gradientFiles = gradients.files(dwi);
    bval = gradientFiles.size() == 2 ? gradientFiles.get(0) : null;
    bvec = gradientFiles.size() == 2 ? gradientFiles.get(1) : null;
    List<Path> inputs = new ArrayList<>(gradientFiles);
    if (mask != null) {
      inputs.add(mask);
    }
    for (Path p : inputs) {
      if (!Files.isRegularFile(p)) {
        throw new BadFileException(p, "expected an input file, found none");
      }
    }
    inputs.add(dwi);
    List<Path> outputs = new ArrayList<>();
    for (String name : new String[] {"ndi", "odi", "fwf", "noddi", "ndi_std", "odi_std",
        "fwf_std", "noddi_lower", "noddi_upper", "mask"}) {
      outputs.add(Path.of(out + "_" + name + ".nii.gz"));
    }
    outputs.add(Path.of(out + "_prediction.json"));
    OutputGuard.requireNoneIsInput(outputs, inputs);
    OutputGuard.requireNewUnlessForced(outputs, force);
    threads.nthreads();
    threads.applyToTorch(); // before the engine loads
    // the engine loads on this thread, which it leaves with gradient recording off (PyTorch's
    // grad mode is per thread, and other commands of this JVM rely on it)
    Engines.device(deviceOption.get());
    return threads.run(() -> predictAndWrite(pw));
  }

  /** Reads, predicts and writes, in the pool of --nthreads threads. */
  private int predictAndWrite(PrintWriter pw) throws Exception {
    Engines.setGradMode(false); // a pool thread: PyTorch's grad mode is per thread
    Path dir = model != null ? model : ShippedModel.locate();
    GradientOptions.Scan read = gradients.readScan(dwi);
    GradientTable table = read.table();
    NiftiImage scan = read.image();
    gradientSource = read.gradientSource();
    if (scan.volume().nt() != table.size()) {
      throw new BadFileException(dwi, "expected " + table.size() + " volumes (one per entry of "
          + (bval != null ? bval.getFileName() : gradientSource) + "), found "
          + scan.volume().nt());
    }
    long bad = scan.volume().nonFiniteCount();
    if (bad > 0) {
      spec.commandLine().getErr().printf(java.util.Locale.ROOT, "noddi predict: warning: %d"
          + " NaN/Inf values in %s; their voxels count as background (0 features)%n", bad,
          dwi.getFileName());
    }
    long start = System.nanoTime();
    try (Predictor predictor = Predictor.open(dir, Engines.device(deviceOption.get()))) {
      modelIdentity = ModelIdentity.of(dir); // after open, which says clearly what is missing
      PredictOptions.Method m = method == null ? predictor.defaultMethod() : method.kind;
      PredictOptions o = sampling.apply(PredictOptions.defaults().withMethod(m),
          seedOption.get());
      int f = predictor.factor(m);
      Grid hi = VolumeOps.upsampledGrid(scan.volume().grid(), f);
      Volume maskVolume = mask == null ? null : BrainMasks.read(mask,
          new BrainMasks.Target("the scan's grid", scan.volume().grid()),
          new BrainMasks.Target("the output grid", hi)).toVolume();
      pw.printf(Locale.ROOT, "predict: %s (%d x %d x %d, %s, %s) -> %d x %d x %d, factor %d,"
          + " %s%n", dwi.getFileName(), scan.volume().nx(), scan.volume().ny(),
          scan.volume().nz(), scan.volume().grid().affine().axisCodes(), table.summary(),
          hi.nx(), hi.ny(), hi.nz(), f, m == PredictOptions.Method.LDM ? String.format(
              Locale.ROOT, "diffusion model, DDIM %d steps, eta %s, %d sample%s", o.steps(),
              o.eta(), o.samples(), o.samples() == 1 ? "" : "s") : m == PredictOptions.Method.REFINE
              ? "refiner (classic fit + learned correction)" : "classic pipeline");
      pw.flush();
      Predictor.Result r = PredictionOutputs.predict(predictor, scan.volume(), table, maskVolume,
          !noMask, o);
      write(scan, r, System.nanoTime() - start, pw);
    }
    return 0;
  }

  private void write(NiftiImage scan, Predictor.Result r, long nanos, PrintWriter pw)
      throws IOException {
    PredictionOutputs.Inputs in = new PredictionOutputs.Inputs(dwi, bval, bvec, mask, model,
        modelIdentity, deviceOption.get(), gradientSource);
    try (OutputSet outs = OutputSet.begin(spec.commandLine().getErr()::println)) {
      PredictionOutputs.writeOutputs(outs, out, scan, r, in, nanos);
      outs.commit();
    }
    Path sidecar = Path.of(out + "_prediction.json");
    pw.printf(Locale.ROOT, "wrote %s_{ndi,odi,fwf,noddi}.nii.gz%s%s and %s (%.1f s)%n", out,
        (r.sd() != null ? ", %s_{ndi,odi,fwf}_std.nii.gz".formatted(out) : "")
            + (r.lower() != null ? ", %s_noddi_{lower,upper}.nii.gz".formatted(out) : ""),
        r.mask() != null ? ", %s_mask.nii.gz".formatted(out) : "", sidecar, nanos / 1e9);
    pw.flush();
  }
}
