package org.noddildm.app.report;

import java.util.Arrays;
import java.util.List;
import org.noddildm.core.volume.Volume;

/**
 * Rough tissue classes from the NODDI maps themselves, for QC and cohort overviews when there
 * is no segmentation (the BIDS App's group table and the QC report's histograms use the same
 * rule):
 * <pre>
 *   brain   every voxel of the brain mask
 *   csf     FWF &gt;= 0.5                      (mostly free water)
 *   wm      FWF &lt; 0.5 and NDI &gt;= 0.5       (dense neurites: white matter)
 *   gm      FWF &lt; 0.5 and NDI &lt; 0.5        (grey matter and partial volumes)
 * </pre>
 * Not an anatomical segmentation.
 */
public final class TissueClasses {
  /** The classes, in table order. */
  public static final List<String> NAMES = List.of("brain", "csf", "wm", "gm");
  /** The rule of each class, in words. */
  public static final java.util.Map<String, String> RULES = java.util.Map.of("brain",
      "all brain voxels", "csf", "FWF >= 0.5", "wm", "FWF < 0.5 and NDI >= 0.5", "gm",
      "FWF < 0.5 and NDI < 0.5");

  private TissueClasses() {}

  /**
   * NDI, ODI, FWF values of {@code maps} in the voxels of one class, the class decided from
   * {@code ref} (NDI, ODI, FWF of the same grid; may be {@code maps} itself).
   */
  public static float[][] values(Volume[] maps, Volume[] ref, Volume mask, String tissue) {
    int n = mask.grid().size();
    float[][] out = new float[3][n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (mask.at(i, 0) == 0) {
        continue;
      }
      double ndi = ref[0].at(i, 0);
      double fwf = ref[2].at(i, 0);
      boolean in = switch (tissue) {
        case "csf" -> fwf >= 0.5;
        case "wm" -> fwf < 0.5 && ndi >= 0.5;
        case "gm" -> fwf < 0.5 && ndi < 0.5;
        case "brain" -> true;
        default -> throw new IllegalArgumentException("tissue: expected one of " + NAMES
            + ", found " + tissue);
      };
      if (in) {
        for (int p = 0; p < 3; p++) {
          out[p][k] = maps[p].at(i, 0);
        }
        k++;
      }
    }
    for (int p = 0; p < 3; p++) {
      out[p] = Arrays.copyOf(out[p], k);
    }
    return out;
  }
}
