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
import org.noddildm.core.metrics.SpreadCalibration;
import org.noddildm.core.physics.dataset.PairedDataset;
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
 * {@code noddi calibrate}: the split-conformal calibration of the diffusion model's spread
 * ({@link SpreadCalibration}) on paired datasets that no training used, written into a copy of
 * the model; {@code predict --samples N} then writes the calibrated sd and the interval.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Calibrate the diffusion model's per-voxel sd on calibration subjects (paired"
        + " datasets made with training seeds that no training run used; benchmark seeds of"
        + " 9000 and up and held-out anatomy are refused): per map and tissue class, the scale"
        + " that makes mean +- scale * sd hold the truth in --level of the voxels.",
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
    SpreadCalibration.Builder b = new SpreadCalibration.Builder();
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
          b.add(ds.maps(s), r.maps(), r.sd(), ds.mask(s));
          pw.printf(Locale.ROOT, "calibrate: %s %s done%n", d.getFileName(), s);
          pw.flush();
        }
      }
    }
    SpreadCalibration c = b.build(level, String.join("; ", described) + String.format(
        Locale.ROOT, " (DDIM %d, %d samples%s)", sampling.steps(), sampling.samples(),
        o.eta() == 0 ? "" : ", eta " + o.eta()));
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
}
