package org.noddildm.app.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.noddildm.app.options.DeviceOption;
import org.noddildm.app.options.SamplingOptions;
import org.noddildm.app.options.SeedOption;
import org.noddildm.app.options.ThreadOptions;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.metrics.ErrorModel;
import org.noddildm.core.metrics.SpreadCalibration;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.Engines;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.predict.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noddi calibrate}: the calibration of the diffusion model's spread on paired datasets
 * that no training used, written into a copy of the model: the {@link ErrorModel} the sd is
 * made of, the split-conformal scales of the interval and the sd ({@link SpreadCalibration}),
 * and the factor on one sample's deviation; {@code predict --samples N} then writes the
 * calibrated sd and the interval, {@code --samples 1} the scaled sample.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Calibrate the diffusion model's per-voxel sd on calibration subjects (paired"
        + " datasets made with training seeds that no training run used; benchmark seeds of"
        + " 9000 and up and held-out anatomy are refused): an error model that makes the sd of"
        + " the samples' spread, the refiner's correction, the maps' gradient and partial volume;"
        + " per map and tissue class, the scale that makes mean +- scale * sd hold the truth in"
        + " --level of the voxels and the one that makes the sd's RMS the error's; and per map"
        + " the factor on one sample's deviation from the posterior mean; all where an estimate"
        + " exists (the true brain inside the scan's mask).",
        "Writes a copy of the model with calibration.json; predict --samples N then writes the"
            + " calibrated sd and PREFIX_noddi_lower/upper.nii.gz."})
public final class CalibrateCommand implements Callable<Integer> {
  @Option(names = "--model", paramLabel = "DIR",
      description = "Model to calibrate (default: the pretrained model in this build).")
  Path model;

  @Option(names = "--data", required = true, split = ",", paramLabel = "DIR",
      description = "Paired datasets of calibration subjects (noddi simulate).")
  List<Path> data;

  @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
      description = "The calibrated model (a new folder).")
  Path out;

  @Option(names = "--level", defaultValue = "0.9", description = "Nominal coverage of the"
      + " interval (default: ${DEFAULT-VALUE}).")
  double level;

  @Mixin
  ThreadOptions threads = new ThreadOptions();

  @Mixin SamplingOptions sampling = new SamplingOptions();

  @Mixin SeedOption seedOption = new SeedOption();

  @Mixin DeviceOption deviceOption = new DeviceOption();

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return threads.runModelWork(this::calibrate);
  }

  private Integer calibrate() throws Exception {
    PrintWriter pw = spec.commandLine().getOut();
    BadArgumentException.require(sampling.samples() >= 2, "--samples: expected >= 2 (the sd needs"
        + " several samples), found " + sampling.samples());
    Path dir = model != null ? model : ShippedModel.locate();
    List<ErrorModel.Example> subjects = new ArrayList<>();
    List<Volume> rawSd = new ArrayList<>();
    List<Volume[]> oneSample = new ArrayList<>();
    List<String> described = new ArrayList<>();
    PredictOptions o = sampling.apply(PredictOptions.defaults().withMethod(
        PredictOptions.Method.LDM), seedOption.get());
    try (Predictor p = Predictor.open(dir, Engines.device(deviceOption.get())).withRawSpread()) {
      for (Path d : data) {
        PairedDataset ds = PairedDataset.openForTraining(d);
        long dsSeed = ds.json().has("seed") ? ds.json().get("seed").getAsLong() : 0;
        BadArgumentException.require(dsSeed < 9000, "--data " + d + ": expected calibration"
            + " subjects made with a seed below 9000, found seed " + dsSeed + " (seeds of 9000"
            + " and up are the benchmark's, never used to choose anything)");
        described.add(ds.describe());
        for (String s : ds.subjects()) {
          Predictor.Result r = p.predict(ds.lowResDwi(s), ds.table(s),
              ds.lowResMask(s).toVolume(), true, o, null);
          // everything is fitted where an estimate exists, the true brain inside the scan's:
          // outside it the maps are 0 and the sd claims nothing
          subjects.add(new ErrorModel.Example(ds.maps(s), r.maps(), r.errorFeatures(),
              r.mask() == null ? ds.mask(s) : ds.mask(s).and(r.mask())));
          rawSd.add(r.sd());
          // one sample and the posterior mean it was drawn around, for the sample scale
          Predictor.Result one = p.predict(ds.lowResDwi(s), ds.table(s),
              ds.lowResMask(s).toVolume(), true, o.withSampling(o.steps(), o.eta(), 1,
              o.seed() + 1), null);
          if (one.center() != null) {
            oneSample.add(new Volume[] {one.maps(), one.center()});
          }
          pw.printf(Locale.ROOT, "calibrate: %s %s done%n", d.getFileName(), s);
          pw.flush();
        }
      }
    }
    String what = String.join("; ", described) + String.format(Locale.ROOT,
        " (DDIM %d, %d samples%s)", sampling.steps(), sampling.samples(),
        o.eta() == 0 ? "" : ", eta " + o.eta());
    SpreadCalibration c = subjects.get(0).features() == null
        ? scales(subjects, rawSd, what) : withErrorModel(subjects, what);
    if (oneSample.size() == subjects.size()) {
      SpreadCalibration.Builder b = new SpreadCalibration.Builder();
      for (int i = 0; i < subjects.size(); i++) {
        ErrorModel.Example e = subjects.get(i);
        b.addSample(e.truth(), oneSample.get(i)[0], oneSample.get(i)[1], e.brain());
      }
      c = c.withSampleScale(b.sampleScale());
    }
    // the model's own training note stays; the calibration is added to it
    JsonObject base = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(
        dir.resolve(ModelBundle.MODEL_JSON))).getAsJsonObject();
    JsonObject prov = base.has("training") && base.get("training").isJsonObject()
        ? base.getAsJsonObject("training").deepCopy() : new JsonObject();
    prov.addProperty("calibration", "noddi calibrate: " + c.describe());
    ShippedModel.export(dir, null, out, prov, c);
    pw.println(c.describe());
    pw.println("wrote " + out);
    return 0;
  }

  /** The interval's and the sd's scales of the raw spread (a model without error features). */
  private SpreadCalibration scales(List<ErrorModel.Example> subjects, List<Volume> sd,
      String what) {
    SpreadCalibration.Builder b = new SpreadCalibration.Builder();
    for (int i = 0; i < subjects.size(); i++) {
      ErrorModel.Example e = subjects.get(i);
      b.add(e.truth(), e.point(), sd.get(i), e.brain());
    }
    return b.build(level, what);
  }

  /**
   * The error model fitted to every subject, with scales from cross-fitting: the subjects are
   * split into two folds by turns, each fold's sd comes from the model fitted to the other fold,
   * and the scales are taken over both (so no voxel scores a model fitted to itself).
   */
  private SpreadCalibration withErrorModel(List<ErrorModel.Example> subjects, String what) {
    BadArgumentException.require(subjects.size() >= 2, "--data: expected at least 2"
        + " calibration subjects (the error model is fitted on one half and scored on the"
        + " other), found " + subjects.size());
    List<List<ErrorModel.Example>> folds = List.of(new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < subjects.size(); i++) {
      folds.get(i % 2).add(subjects.get(i));
    }
    ErrorModel[] fitted = {ErrorModel.fit(folds.get(0)), ErrorModel.fit(folds.get(1))};
    SpreadCalibration.Builder b = new SpreadCalibration.Builder();
    for (int i = 0; i < subjects.size(); i++) {
      ErrorModel.Example e = subjects.get(i);
      b.add(e.truth(), e.point(), fitted[1 - i % 2].sd(e.features(), e.brain()), e.brain());
    }
    return b.build(level, what + ", error model cross-fitted on two folds of subjects")
        .withErrorModel(ErrorModel.fit(subjects));
  }
}
