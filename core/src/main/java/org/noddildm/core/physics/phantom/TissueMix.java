package org.noddildm.core.physics.phantom;

import org.noddildm.core.metrics.ErrorMetrics;

/**
 * The NODDI parameters of a voxel that holds several tissues, shared by both phantom families so
 * that they follow one convention. With tissue fractions f_t and per-tissue parameters:
 *
 * <pre>
 *   FWF = min(1, sum_t f_t FWF_t)
 *   w_t = f_t (1 - FWF_t)                              (the tissue's non-free-water share)
 *   NDI = taper(FWF) sum_t w_t NDI_t / sum_t w_t        (ODI likewise)
 *   taper(FWF) = 1 - smoothstep(0.9, 1, FWF)
 * </pre>
 *
 * NDI and ODI describe a tissue share that vanishes in CSF, where they are undefined. The taper
 * takes them smoothly to 0 there, the value the classic fit writes in free water, and leaves
 * every voxel below {@link ErrorMetrics#FREE_WATER}, where they are scored, untouched. Without
 * it, pure CSF was 0 only where no sub-voxel sample met tissue: always in the procedural
 * phantom's hard-edged ventricles, almost never in the anatomical phantom's mixture-model
 * fractions, which kept the nearby tissue's values.
 *
 * <p>The direction is that of the non-CSF tissue with the largest share w_t. Not thread-safe:
 * one per worker, {@link #reset} per voxel.
 */
public final class TissueMix {
  private double fwf;
  private double tw;
  private double nd;
  private double od;
  private double s0;
  private int dominant;
  private double dominantW;

  public TissueMix() {
    reset();
  }

  /** Starts a new voxel. */
  public void reset() {
    fwf = 0;
    tw = 0;
    nd = 0;
    od = 0;
    s0 = 0;
    dominant = -1;
    dominantW = 0;
  }

  /** Adds {@code fraction} of {@code tissue} with its parameters and non-diffusion signal. */
  public void add(int tissue, double fraction, double ndi, double odi, double tissueFwf,
      double tissueS0) {
    if (fraction <= 0) {
      return;
    }
    fwf += fraction * tissueFwf;
    double w = fraction * (1 - tissueFwf);
    tw += w;
    nd += w * ndi;
    od += w * odi;
    s0 += fraction * tissueS0;
    if (tissue != Tissue.CSF && w > dominantW) {
      dominantW = w;
      dominant = tissue;
    }
  }

  public double fwf() {
    return Math.min(1, fwf);
  }

  public double ndi() {
    return tw > 0 ? taper() * nd / tw : 0;
  }

  public double odi() {
    return tw > 0 ? taper() * od / tw : 0;
  }

  /** The fraction-weighted S0 of the tissues added. */
  public double s0() {
    return s0;
  }

  /** The non-CSF tissue with the largest non-free-water share; -1 if there is none. */
  public int dominant() {
    return dominant;
  }

  private double taper() {
    return 1 - BrainGeometry.smoothstep(ErrorMetrics.FREE_WATER, 1, fwf());
  }
}
