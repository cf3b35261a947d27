package org.noddildm.model.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.dwi.ShellFeatureSpec;
import org.noddildm.core.dwi.ShellFeatures;
import org.noddildm.core.io.StrictJson;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * The condition of the generative model: a low-resolution DWI turned into direction-independent
 * per-shell spherical-harmonic features ({@link ShellFeatures}, S0 scaled by the scan's own
 * {@link ShellFeatures#robustS0Scale}), computed on the scan's grid and then resampled
 * trilinearly onto the high-resolution grid ({@link VolumeOps#upsampledGrid} by
 * {@code factor}), so the DMRI autoencoder's latent and the NODDI latent share a grid.
 *
 * <p>The one place where a scan becomes network input: DWI VQ-GAN training, latent encoding
 * for LDM training and prediction all call {@link #features}.
 *
 * @param spec the shells (and SH order) the model was trained on
 * @param factor high-res voxels per low-res voxel along each axis
 */
public record DwiCondition(ShellFeatureSpec spec, int factor) {

  public DwiCondition {
    BadArgumentException.require(spec != null, "DWI condition: expected a feature spec, found"
        + " none");
    BadArgumentException.require(factor >= 1 && factor <= 8, "upsampling factor: expected"
        + " 1..8, found " + factor);
  }

  /** Channels of the feature volume (the DMRI VQ-GAN's input channels). */
  public int channels() {
    return spec.channels();
  }

  /** The high-resolution grid of a scan on {@code lowGrid}. */
  public Grid highGrid(Grid lowGrid) {
    return VolumeOps.upsampledGrid(lowGrid, factor);
  }

  /**
   * Features of a raw low-res scan on its high-res grid. A scan without the model's shells
   * fails with the message of {@link ShellFeatureSpec#match} (expected vs found shells).
   */
  public Volume features(Volume scan, GradientTable table) {
    table.requireVolumes(scan.nt());
    spec.match(table);
    double s0 = ShellFeatures.robustS0Scale(scan, table);
    Volume low = ShellFeatures.compute(scan, table, spec, s0);
    return factor == 1 ? low : VolumeOps.resampleTrilinear(low, highGrid(scan.grid()), 0f);
  }

  /**
   * The condition for a dataset: the shells of its first subject's gradient table (SH order 4)
   * and its degradation factor.
   */
  public static DwiCondition forDataset(PairedDataset dataset) throws IOException {
    GradientTable t = dataset.table(dataset.subjects().get(0));
    return new DwiCondition(ShellFeatureSpec.of(t), dataset.factor());
  }

  /** As stored in model.json: {"features": {shells, lmax, lambda, tolerance}, "factor": f}. */
  public void writeTo(JsonObject meta) {
    meta.add("features", StrictJson.EXACT.toTree(spec));
    meta.addProperty("factor", factor);
  }

  /** Reads what {@link #writeTo} stored; {@code where} names the model for the error. */
  public static DwiCondition readFrom(JsonObject meta, Path where) {
    JsonElement fe = meta == null ? null : meta.get("features");
    if (fe == null || !meta.has("factor")) {
      throw new BadFileException(where, "expected a DMRI VQ-GAN trained on shell features"
          + " (model.json data.features and data.factor), found none; retrain it with this"
          + " version of noddi train-vqgan --target dwi");
    }
    JsonObject o = fe.getAsJsonObject();
    double[] shells = StrictJson.read(o.get("shells"), double[].class);
    return new DwiCondition(new ShellFeatureSpec(shells, o.get("lmax").getAsInt(),
        o.get("lambda").getAsDouble(), o.get("tolerance").getAsDouble()),
        meta.get("factor").getAsInt());
  }
}
