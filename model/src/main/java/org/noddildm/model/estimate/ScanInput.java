package org.noddildm.model.estimate;

import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMask;
import org.noddildm.core.fit.ClassicEstimate;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;
import org.noddildm.core.volume.VoxelOrder;

/**
 * A scan as every {@link Estimator} sees it: in the canonical voxel order, with its gradients
 * turned to match, and its brain on the scan's grid and on the upsampled grid. The classic
 * estimate, which the classic pipeline, the refiner and the diffusion model built on it all
 * start from, is made once, on first use.
 */
public final class ScanInput {
  private final Volume scan;
  private final GradientTable table;
  private final Mask lowMask;
  private final Mask hiMask;
  private final String maskSource;
  private ClassicEstimate classic;

  private ScanInput(Volume scan, GradientTable table, Mask lowMask, Mask hiMask,
      String maskSource) {
    this.scan = scan;
    this.table = table;
    this.lowMask = lowMask;
    this.hiMask = hiMask;
    this.maskSource = maskSource;
  }

  /**
   * {@code scan} and {@code table} in the canonical order of {@code order}, with the brain:
   * {@code mask} (in the scan's order, on the scan's grid or on the grid upsampled by
   * {@code factor}; nonzero = brain) or, when null, the automatic mask (median Otsu of the mean
   * b0).
   */
  public static ScanInput of(VoxelOrder order, Volume scan, GradientTable table, Volume mask,
      int factor) {
    Grid hiOut = VolumeOps.upsampledGrid(scan.grid(), factor);
    BadArgumentException.require(mask == null || mask.grid().sameSize(scan.grid())
        || mask.grid().sameSize(hiOut), "mask: expected the scan's grid " + scan.grid().shape()
        + " or the output grid " + hiOut.shape() + ", found "
        + (mask == null ? "" : mask.grid().shape()));
    Volume cScan = order.toCanonical(scan);
    GradientTable cTable = table.inCanonicalOrder(order);
    Grid lo = cScan.grid();
    Grid hi = VolumeOps.upsampledGrid(lo, factor);
    if (mask == null) {
      int[] b0 = BrainMask.requireB0(cTable);
      Mask low = BrainMask.automatic(cScan, cTable);
      return new ScanInput(cScan, cTable, low, low.upsampledTo(hi), "median Otsu of the scan's"
          + " mean b0 (" + b0.length + " volumes)");
    }
    Volume cm = order.toCanonical(mask);
    if (cm.grid().sameSize(hi)) {
      Mask high = Mask.above(cm, 0f);
      return new ScanInput(cScan, cTable, Mask.above(VolumeOps.downsample(high.toVolume(),
          factor), 0f), high, "given on the output grid");
    }
    Mask low = Mask.above(cm, 0f);
    return new ScanInput(cScan, cTable, low, low.upsampledTo(hi), "given on the scan's grid");
  }

  /** The scan in canonical order. */
  public Volume scan() {
    return scan;
  }

  /** Its gradient table in the canonical frame. */
  public GradientTable table() {
    return table;
  }

  /** The brain on the scan's grid. */
  public Mask lowMask() {
    return lowMask;
  }

  /** The brain on the upsampled grid. */
  public Mask hiMask() {
    return hiMask;
  }

  /** Where the brain came from, for the provenance. */
  public String maskSource() {
    return maskSource;
  }

  /** The upsampled grid the maps are made on. */
  public Grid hiGrid() {
    return hiMask.grid();
  }

  /** The classic estimate of the scan in its brain, made on first use. */
  public synchronized ClassicEstimate classic() {
    if (classic == null) {
      classic = ClassicEstimate.of(scan, table, lowMask);
    }
    return classic;
  }
}
