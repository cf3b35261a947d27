package org.noddildm.model.pipeline;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.model.bundle.ModelBundle;
import org.noddildm.model.bundle.ShippedModel;
import org.noddildm.model.data.HeldOutSplit;
import org.noddildm.model.refine.RefinerCheckpoints;
import org.noddildm.model.refine.RefinerExample;
import org.noddildm.model.refine.RefinerTrainConfig;
import org.noddildm.model.refine.RefinerTrainer;
import org.noddildm.model.train.TrainingListener;

/**
 * Fine-tuning a model's refiner on a user's own scans ({@code noddi finetune}): a new run from
 * the refiner's weights with a fresh optimizer on a paired dataset made from the training scans
 * ({@link org.noddildm.core.physics.dataset.ScanPairs}), validated on one made from held-out
 * scans, and exported as a model folder like the base model with the new refiner in it. The
 * last step is kept (no choice on the held-out scans, so scoring them stays fair). The
 * refiner's model.json lists the SHA-256 of every training scan ({@link #trainingScans}) so
 * that {@code noddi validate} can refuse to score a model on its own training scans. The base
 * model's diffusion model is kept as it is: it was trained on the base refiner's residuals.
 */
public final class FineTune {
  private FineTune() {}

  /** The refiner folder of a model folder (or the folder itself if it is a refiner run). */
  public static Path refinerOf(Path model) throws IOException {
    if (RefinerCheckpoints.isRefiner(model)) {
      return model;
    }
    ModelBundle b = ModelBundle.open(model);
    BadArgumentException.require(b.refiner() != null, "model " + model.getFileName()
        + ": expected a refiner part to fine-tune, found none");
    return b.refiner();
  }

  /**
   * Runs the fine-tune: trains in {@code run} (a new folder, resumable with train-refiner
   * --resume) and exports {@code out}.
   *
   * @param base the model to start from (a model folder or a refiner run)
   * @param train the paired dataset of the training scans
   * @param heldOut the paired dataset of the held-out scans (validation only)
   * @param provenance what the exported model.json says about this model
   */
  public static void run(Path base, Path train, Path heldOut, RefinerTrainConfig config,
      Device device, Path run, Path out, JsonObject provenance,
      TrainingListener listener) throws IOException {
    BadArgumentException.require(!Files.exists(out), "output model " + out + ": expected a new"
        + " folder, found one already there");
    BadArgumentException.require(!RefinerCheckpoints.isRefiner(base), "base model "
        + base.getFileName() + ": expected a model folder (the shipped model, an export or an"
        + " earlier fine-tune), found a refiner run alone");
    Path from = refinerOf(base);
    try (RefinerTrainer t = RefinerCheckpoints.startFrom(from, config, device)) {
      int f = t.config().factor();
      HeldOutSplit<RefinerExample> tr = HeldOutSplit.of(List.of(train), 0, f,
          "the refiner's factor", (d, s) -> RefinerExample.of(d, s, config));
      HeldOutSplit<RefinerExample> val = HeldOutSplit.of(List.of(heldOut), 0, f,
          "the refiner's factor", (d, s) -> RefinerExample.of(d, s, config));
      JsonObject meta = new JsonObject();
      meta.add("datasets", tr.datasets());
      meta.add("validation_datasets", val.datasets());
      meta.add("scans", scans(train));
      meta.add("held_out_scans", scans(heldOut));
      meta.addProperty("initialised_from", from.getFileName().toString());
      t.run(tr.train(), val.train(), run, meta, new ArrayList<>(), listener);
    }
    ShippedModel.export(base, run, out, provenance);
  }

  /** The SHA-256 of every scan a model's refiner was fine-tuned on (empty if none). */
  public static Set<String> trainingScans(Path model) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    JsonObject json = RefinerCheckpoints.readJson(refinerOf(model));
    if (json.has("data") && json.getAsJsonObject("data").has("scans")) {
      for (JsonElement e : json.getAsJsonObject("data").getAsJsonArray("scans")) {
        out.add(e.getAsJsonObject().get("sha256").getAsString());
      }
    }
    return out;
  }

  /** id and SHA-256 of each scan a paired dataset was made from. */
  private static JsonArray scans(Path data) throws IOException {
    JsonObject json = PairedDataset.open(data).json();
    JsonArray out = new JsonArray();
    if (json.has("scans")) {
      for (JsonElement e : json.getAsJsonArray("scans")) {
        JsonObject s = new JsonObject();
        s.add("id", e.getAsJsonObject().get("id"));
        s.add("sha256", e.getAsJsonObject().get("sha256"));
        out.add(s);
      }
    }
    return out;
  }
}
