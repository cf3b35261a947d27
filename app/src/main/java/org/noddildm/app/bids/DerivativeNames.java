package org.noddildm.app.bids;

import java.util.List;

/**
 * BIDS-Derivatives names of the outputs, QSIRecon's for NODDI maps so that a QSIRecon user's
 * globs find them: {@code <stem>_model-noddi_param-<p>_dwimap.nii.gz} for the model's default
 * estimate (the refiner), {@code <stem>_model-noddi_param-<p>_desc-<method>_dwimap.nii.gz} for
 * the others, {@code <stem>_model-noddi_param-{icvf,od}_desc-modulated_dwimap.nii.gz} for the
 * default estimate's ICVF and OD times (1 - ISOVF), and {@code <stem>[_res-native]
 * _desc-brain_mask.nii.gz}, in the run's folder ({@code sub-01/ses-a/dwi/}). The stem keeps the
 * input's entities ({@code space-} included) except its {@code desc}.
 *
 * <p>{@code param-icvf}, {@code param-od} and {@code param-isovf} are NDI, ODI and FWF under
 * the NODDI toolbox's (and QSIRecon's) names; {@code param-direction} is the fibre direction of
 * the native-resolution classic fit (3 volumes). {@code desc-sd} is the per-voxel standard
 * deviation over diffusion samples. Without {@code res-}, a file is on the output grid (voxels
 * smaller by the model's factor), as QSIRecon names its maps; {@code res-native} marks the fit
 * on the scan's own grid, and its sidecar carries the {@code Resolution} that BIDS requires
 * with {@code res}.
 */
public final class DerivativeNames {
  /** The NODDI parameters, in the order of the maps (NDI, ODI, FWF). */
  public static final List<String> PARAMS = List.of("icvf", "od", "isovf");
  /** The direction map's parameter name. */
  public static final String DIRECTION = "direction";
  /** The resolution label of the fit on the scan's grid. */
  public static final String NATIVE = "native";
  /** The desc of the standard deviation maps. */
  public static final String SD = "sd";
  /** The desc of QSIRecon's modulated maps: ICVF or OD times the tissue fraction. */
  public static final String MODULATED = "modulated";

  private DerivativeNames() {}

  /**
   * {@code <stem>[_res-<res>]_model-noddi_param-<param>[_desc-<desc>]_dwimap.nii.gz}; a null
   * {@code res} or {@code desc} leaves the entity out.
   */
  public static String map(DwiRun run, String res, String param, String desc) {
    return run.prefix() + (res == null ? "" : "_res-" + res) + "_model-noddi_param-" + param
        + (desc == null ? "" : "_desc-" + desc) + "_dwimap.nii.gz";
  }

  /** {@code <stem>[_res-<res>]_desc-brain_mask.nii.gz}. */
  public static String mask(DwiRun run, String res) {
    return run.prefix() + (res == null ? "" : "_res-" + res) + "_desc-brain_mask.nii.gz";
  }

  /** The JSON sidecar of a NIfTI output: the same name with {@code .json}. */
  public static String sidecar(String nifti) {
    return nifti.replaceFirst("\\.nii(\\.gz)?$", "") + ".json";
  }

  /** The path of a file of the run relative to the output root: {@code folder/name}. */
  public static String relative(DwiRun run, String name) {
    return run.folder() + "/" + name;
  }
}
