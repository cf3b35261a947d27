package org.noddildm.app.report;

import java.util.List;
import java.util.Map;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * What a QC report (no ground truth) is made of. All volumes of the estimates, the sd maps and
 * the mask share one grid (the output grid).
 *
 * @param title the page's heading, e.g. the run's name
 * @param estimates the estimates, the first the main one (e.g. ldm or refine, then classic)
 * @param sd per-voxel standard deviation of the first estimate over samples (3 volumes), or null
 * @param mask brain mask (1 inside) of the grid, or null for every voxel
 * @param snr the b0 temporal SNR ({@link SnrEstimate}), NaN when unknown
 * @param acquisition facts of the scan for the summary (e.g. shells, grid), in display order
 * @param settings the settings of the run, in display order
 * @param model the model's id and training note, or an empty map for the classic fit only
 * @param voxel the voxel (x, y, z) the planes go through
 * @param radiological patient's right on the left
 * @param scan the input scan for its pictures and gradient directions, or null
 */
public record QcInputs(String title, List<Estimate> estimates, Volume sd, Volume mask,
    double snr, Map<String, String> acquisition, Map<String, String> settings,
    Map<String, String> model, int[] voxel, boolean radiological, Scan scan) {

  /**
   * The input scan, on its own grid.
   *
   * @param name how the page names it (a file name, never a path)
   * @param dwi the 4D scan
   * @param table its gradient table, one entry per volume
   * @param brain its brain mask (the mask of the SNR estimate), or null for no outline
   */
  public record Scan(String name, Volume dwi, GradientTable table, Mask brain) {
    public Scan {
      table.requireVolumes(dwi.nt());
      BadArgumentException.require(brain == null || brain.grid().sameAs(dwi.grid()), name
          + ": expected a brain mask of the scan's grid " + dwi.grid().shape() + ", found "
          + (brain == null ? "" : brain.grid().shape() + " or another affine"));
    }
  }

  /**
   * One estimate of the maps.
   *
   * @param name its short name (ldm, refine, classic)
   * @param maps NDI, ODI, FWF as three volumes
   */
  public record Estimate(String name, Volume maps) {
    public Estimate {
      BadArgumentException.require(maps.nt() == 3, name + ": expected 3 volumes (NDI, ODI,"
          + " FWF), found " + maps.nt());
    }

    /** Whether this is the classic fit (the reference the others are compared with). */
    public boolean classic() {
      return name.equals("classic");
    }
  }

  public QcInputs {
    BadArgumentException.require(!estimates.isEmpty(), "QC report: expected at least one"
        + " estimate, found none");
    Volume first = estimates.get(0).maps();
    for (Estimate e : estimates) {
      BadArgumentException.require(e.maps().grid().sameAs(first.grid()), e.name()
          + ": expected the grid of " + estimates.get(0).name() + " " + first.grid().shape()
          + ", found " + e.maps().grid().shape() + " or another affine");
    }
    for (Volume v : new Volume[] {sd, mask}) {
      BadArgumentException.require(v == null || v.grid().sameAs(first.grid()), "sd or mask:"
          + " expected the grid " + first.grid().shape() + ", found " + (v == null ? ""
              : v.grid().shape() + " or another affine"));
    }
    BadArgumentException.require(sd == null || sd.nt() == 3, "sd: expected 3 volumes, found "
        + (sd == null ? 0 : sd.nt()));
    BadArgumentException.require(voxel.length == 3 && first.grid().contains(voxel[0],
        voxel[1], voxel[2]), "slice: expected a voxel inside " + first.grid().shape()
            + ", found " + java.util.Arrays.toString(voxel));
  }
}
