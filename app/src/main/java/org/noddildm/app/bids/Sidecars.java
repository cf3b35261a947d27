package org.noddildm.app.bids;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.noddildm.app.provenance.BuildInfo;
import org.noddildm.app.provenance.ModelIdentity;
import org.noddildm.core.fit.NoddiFitConfig;

/**
 * The JSON sidecar of every derivative: what the file is ({@code Description}), the model it
 * is a parameter of ({@code Model} with its {@code Description}, {@code URL} and fixed
 * {@code Parameters}), the inputs it was made from ({@code Sources} as BIDS URIs
 * {@code bids:raw:sub-01/...}), the software (version, commit), the trained model's identity
 * (SHA-256 and training note, never a path) and every setting. What all sidecars of one run
 * share is built once ({@link #common}); each file adds its own description.
 */
public final class Sidecars {
  /** Zhang et al. 2012, the NODDI paper. */
  static final String NODDI_URL = "https://doi.org/10.1016/j.neuroimage.2012.03.072";

  private Sidecars() {}

  /** What each parameter is, in the order of {@link DerivativeNames#PARAMS}. */
  static final List<String> PARAM_TEXT = List.of(
      "Neurite density index (NDI): the NODDI intra-neurite volume fraction of the tissue"
          + " compartment (ICVF, v_ic), 0..1",
      "Orientation dispersion index (ODI) of the Watson distribution of neurites, 0..1",
      "Free-water fraction (FWF): the NODDI isotropic (CSF) volume fraction (ISOVF, v_iso),"
          + " 0..1");

  /** What each estimate is, by its desc label. */
  static String methodText(String desc) {
    return switch (desc) {
      case "refine" -> "the classic NODDI fit of the low-resolution scan, trilinearly upsampled,"
          + " plus the sub-voxel correction of a residual 3D CNN (the refiner) trained on"
          + " simulated brains";
      case "ldm" -> "the conditional latent diffusion model: per-shell spherical-harmonic"
          + " features of the scan encoded by a VQ-GAN, NODDI latents sampled with DDIM and"
          + " decoded by a second VQ-GAN";
      case "classic" -> "the classic pipeline: dictionary NODDI fit (AMICO-style) of the"
          + " low-resolution scan, trilinearly upsampled";
      case "native" -> "the dictionary NODDI fit (AMICO-style) of the scan on its own grid";
      default -> desc;
    };
  }

  /**
   * The part every sidecar of a run shares.
   *
   * @param sources BIDS URIs of the inputs
   * @param settings every setting of the run
   * @param model the model's identity, or null when no trained model was used
   * @param inputMetadata the merged input sidecar's fields worth keeping
   */
  static JsonObject common(List<String> sources, JsonObject settings, ModelIdentity model,
      JsonObject inputMetadata) {
    JsonObject j = new JsonObject();
    JsonObject m = new JsonObject();
    NoddiFitConfig c = NoddiFitConfig.defaults();
    m.addProperty("Description", "NODDI: neurite orientation dispersion and density imaging"
        + " (Zhang et al. 2012), the Watson-NODDI model with fixed diffusivities");
    m.addProperty("URL", NODDI_URL);
    JsonObject p = new JsonObject();
    p.addProperty("ParallelDiffusivity", c.dPar());
    p.addProperty("IsotropicDiffusivity", c.dIso());
    p.addProperty("DiffusivityUnits", "mm^2/s");
    p.addProperty("Tortuosity", true);
    p.addProperty("FitEstimator", c.estimator().name().toLowerCase(java.util.Locale.ROOT));
    p.addProperty("MinimumTissueFraction", c.minTissue());
    m.add("Parameters", p);
    j.add("Model", m);
    JsonArray s = new JsonArray();
    sources.forEach(s::add);
    j.add("Sources", s);
    BuildInfo b = BuildInfo.current();
    j.add("GeneratedBy", b.generatedBy());
    if (model != null) {
      j.add("TrainedModel", model.toJson());
    }
    j.add("Settings", settings);
    if (inputMetadata != null && inputMetadata.size() > 0) {
      j.add("InputMetadata", inputMetadata);
    }
    return j;
  }

  /** A map's sidecar: the common part plus what this file is. */
  static JsonObject map(JsonObject common, String description, String desc, String units,
      JsonElement provenance) {
    JsonObject j = new JsonObject();
    j.addProperty("Description", description);
    j.addProperty("Estimate", desc);
    j.addProperty("EstimateDescription", methodText(desc));
    j.addProperty("Units", units);
    common.entrySet().forEach(e -> j.add(e.getKey(), e.getValue().deepCopy()));
    if (provenance != null) {
      j.add("Provenance", provenance.deepCopy());
    }
    return j;
  }

  /** A brain mask's sidecar. */
  static JsonObject mask(JsonObject common, String how) {
    JsonObject j = new JsonObject();
    j.addProperty("Description", "Brain mask: " + how);
    j.addProperty("Type", "Brain");
    j.add("Sources", common.get("Sources").deepCopy());
    j.add("GeneratedBy", common.get("GeneratedBy").deepCopy());
    if (common.has("Resolution")) {
      j.add("Resolution", common.get("Resolution").deepCopy());
    }
    return j;
  }

  /** {@code bids:raw:<path relative to the dataset root>} with forward slashes. */
  static String uri(Path root, Path file) {
    return "bids:raw:" + root.relativize(file).toString().replace('\\', '/');
  }
}
