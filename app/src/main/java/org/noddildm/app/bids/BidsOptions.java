package org.noddildm.app.bids;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.StrictJson;
import org.noddildm.model.estimate.PredictOptions;

/**
 * The settings of a {@code noddi bids} run that change its outputs (resources such as
 * {@code --n-cpus} do not), with their defaults those of {@code noddi predict}.
 *
 * @param method which estimates: one deep method, the classic pipeline, or both (default)
 * @param predict the sampling settings of the diffusion model (steps, eta, samples, seed, tiles)
 * @param model how the model is named in the settings: "shipped" or the folder's name
 * @param device cpu (default), gpu or gpu:N
 * @param mask {@code dataset} (default: the run's brain mask in the dataset, as QSIPrep writes
 *     it, else the automatic one), {@code auto}, or {@code file:<name>} for {@code --mask FILE}
 */
public record BidsOptions(Method method, PredictOptions predict, String model, String device,
    String mask) {
  /** The estimates {@code --method} can ask for. */
  public enum Method {
    /** The model's default deep estimate (the refiner when it has one) and the classic fit. */
    both, refine, ldm, classic
  }

  public BidsOptions {
    BadArgumentException.require(method != null, "--method: expected refine, ldm, classic or"
        + " both, found none");
    mask = mask == null ? "dataset" : mask;
    BadArgumentException.require(mask.equals("dataset") || mask.equals("auto")
        || mask.startsWith("file:"), "--mask: expected dataset, auto or a file, found " + mask);
  }

  /** The settings without a mask choice: the dataset's mask when there is one. */
  public BidsOptions(Method method, PredictOptions predict, String model, String device) {
    this(method, predict, model, device, "dataset");
  }

  /** {@code dataset}, {@code auto} or {@code file}. */
  String maskChoice() {
    return mask.startsWith("file:") ? "file" : mask;
  }

  /** The estimates to make, given the model's default deep one. */
  List<PredictOptions.Method> methods(PredictOptions.Method deepDefault) {
    List<PredictOptions.Method> m = new ArrayList<>();
    switch (method) {
      case both -> {
        m.add(deepDefault);
        m.add(PredictOptions.Method.CLASSIC);
      }
      case refine -> m.add(PredictOptions.Method.REFINE);
      case ldm -> m.add(PredictOptions.Method.LDM);
      case classic -> m.add(PredictOptions.Method.CLASSIC);
    }
    return m;
  }

  /** The desc label of an estimate: refine, ldm or classic. */
  static String desc(PredictOptions.Method m) {
    return m.name().toLowerCase(Locale.ROOT);
  }

  /** Every setting, for sidecars and the rerun check. */
  JsonObject toJson() {
    JsonObject j = new JsonObject();
    j.addProperty("method", method.name());
    j.addProperty("ddimSteps", predict.steps());
    j.addProperty("ddimEta", predict.eta());
    j.addProperty("samples", predict.samples());
    j.addProperty("seed", predict.seed());
    j.addProperty("tile", predict.tile());
    j.addProperty("overlap", predict.overlap());
    j.addProperty("model", model);
    j.addProperty("device", device);
    j.addProperty("mask", switch (maskChoice()) {
      case "auto" -> "median Otsu of the scan's mean b0 (automatic)";
      case "dataset" -> "the dataset's brain mask of the run (<stem>_desc-brain_mask) when it"
          + " has one, else median Otsu of the scan's mean b0";
      default -> "given: " + mask.substring(5);
    });
    return j;
  }

  /**
   * The fingerprint a finished subject stores: SHA-256 of the settings, the model's id and the
   * subject's inputs (names and sizes), so that a rerun redoes a subject when any of them
   * changed and skips it otherwise.
   */
  String fingerprint(String modelId, JsonObject inputs) {
    JsonObject j = new JsonObject();
    j.add("settings", toJson());
    j.addProperty("modelId", modelId);
    j.add("inputs", inputs);
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(StrictJson.EXACT.toJson(j)
          .getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
