package org.noddildm.app.output;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.noddildm.app.console.Progress;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.io.OutputSet;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.provenance.ProvenanceScrubber;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.estimate.PredictOptions;
import org.noddildm.model.predict.Predictor;

/**
 * What {@code noddi predict} writes for one scan, and the run with its progress bar: the maps, sd,
 * interval and mask in the scan's own voxel order, and the JSON sidecar with inputs, model and
 * provenance; the demo writes through it too.
 */
public final class PredictionOutputs {
  private PredictionOutputs() {}

  public static final String[] MAPS = {"ndi", "odi", "fwf"};

  /** {@link Predictor#predict}, with a progress bar over the diffusion model's steps. */
  public static Predictor.Result predict(Predictor predictor, Volume scan, GradientTable table,
      Volume mask, boolean useMask, PredictOptions o) throws IOException {
    if (o.method() != PredictOptions.Method.LDM) {
      return predictor.predict(scan, table, mask, useMask, o, null);
    }
    try (Progress p = new Progress("predict", predictor.totalWork(scan.grid(), o), "step")) {
      long[] last = {0};
      return predictor.predict(scan, table, mask, useMask, o, k -> {
        p.step(k - last[0]);
        last[0] = k;
      });
    }
  }

  /**
   * What a prediction was made from, for its sidecar; {@code mask} and {@code model} are null
   * for the automatic mask and the pretrained model.
   */
  public record Inputs(Path dwi, Path bval, Path bvec, Path mask, Path model,
      ModelIdentity identity, String device, String gradients) {}

  /**
   * Stages every output of a prediction at {@code prefix} into {@code outs}: the maps (one file
   * each and the 4D stack), the sd maps and mask when there are some, and the sidecar
   * {@code PREFIX_prediction.json}; an earlier run's sd maps or mask that this run does not
   * write are marked obsolete, so the prefix holds one run's outputs only.
   */
  public static void writeOutputs(OutputSet outs, String prefix, NiftiImage scan,
      Predictor.Result r, Inputs in, long nanos) throws IOException {
    NiftiWriter.Options o = NiftiWriter.Options.defaults().withReference(scan.header())
        .withDescription("noddi predict");
    NiftiWriter.write(outs.stage(Path.of(prefix + "_noddi.nii.gz")), r.maps(), o);
    for (int t = 0; t < 3; t++) {
      NiftiWriter.write(outs.stage(Path.of(prefix + "_" + MAPS[t] + ".nii.gz")),
          r.maps().volume(t), o);
      Path sd = Path.of(prefix + "_" + MAPS[t] + "_std.nii.gz");
      if (r.sd() != null) {
        NiftiWriter.write(outs.stage(sd), r.sd().volume(t), o);
      } else {
        outs.obsolete(sd);
      }
    }
    for (String bound : new String[] {"lower", "upper"}) {
      Path f = Path.of(prefix + "_noddi_" + bound + ".nii.gz");
      Volume v = bound.equals("lower") ? r.lower() : r.upper();
      if (v != null) {
        NiftiWriter.write(outs.stage(f), v, o.withDescription("noddi predict interval"));
      } else {
        outs.obsolete(f);
      }
    }
    Path maskOut = Path.of(prefix + "_mask.nii.gz");
    if (r.mask() != null) {
      NiftiWriter.write(outs.stage(maskOut), r.mask().toVolume(), o
          .withType(org.noddildm.core.io.NiftiDataType.UINT8));
    } else {
      outs.obsolete(maskOut);
    }
    JsonObject j = new JsonObject();
    j.addProperty("command", "noddi predict");
    j.addProperty("date", Instant.now().toString());
    j.addProperty("dwi", in.dwi().toAbsolutePath().toString());
    if (in.bval() != null) {
      j.addProperty("bval", in.bval().toAbsolutePath().toString());
      j.addProperty("bvec", in.bvec().toAbsolutePath().toString());
    }
    j.addProperty("gradients", in.gradients());
    JsonObject prov = ProvenanceScrubber.scrub(r.provenance()).getAsJsonObject();
    for (var e : prov.entrySet()) {
      j.add(e.getKey(), e.getValue());
    }
    if (in.mask() != null) {
      j.addProperty("maskFile", in.mask().toAbsolutePath().toString());
    }
    j.addProperty("device", in.device());
    j.addProperty("seconds", nanos / 1e9);
    j.addProperty("modelSource", in.model() == null ? "the pretrained model shipped in the jar"
        : in.model().toAbsolutePath().toString());
    j.add("modelIdentity", in.identity().toJson());
    j.add("software", BuildInfo.current().generatedBy());
    StrictJson.REPORT.write(outs.stage(Path.of(prefix + "_prediction.json")), j);
  }
}
