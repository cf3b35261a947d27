package org.noddildm.core.fit;

import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.Diffusivities;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignalModel;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * How well a NODDI fit explains the measured signal, voxel by voxel, the fit-quality maps AMICO
 * and QSIRecon write beside the parameters:
 *
 * <pre>
 *   y_i  = S_i / S0                  the measured signal over the voxel's mean b0
 *   yh_i = S/S0 of the fitted (v_ic, ODI, v_iso, mu)   (Zhang et al. 2012, eq. 1)
 *   RMSE  = sqrt( mean_i (y_i - yh_i)^2 )
 *   NRMSE = RMSE / sqrt( mean_i y_i^2 )
 * </pre>
 *
 * over every volume. A voxel whose tissue was too little to fit NDI and ODI (both reported 0,
 * no direction) is predicted with isotropic tissue (ODI 1), whose weight 1 - v_iso is then
 * small. Voxels outside the mask, or with a mean b0 at or below 0, are 0.
 */
public final class FitResiduals {
  /** The two maps on the scan's grid. */
  public record Maps(Volume rmse, Volume nrmse) {}

  private FitResiduals() {}

  /**
   * @param scan the 4D scan the fit was made of
   * @param fit the fit's maps in {@link NoddiModel}'s order: NDI, ODI, FWF, direction (3)
   */
  public static Maps of(Volume scan, GradientTable table, Mask brain, List<Volume> fit,
      NoddiFitConfig config) {
    BadArgumentException.require(fit.size() >= 4 && fit.get(3).nt() == 3, "fit residuals:"
        + " expected NDI, ODI, FWF and a 3-volume direction, found " + fit.size() + " maps");
    table.requireVolumes(scan.nt());
    NoddiSignalModel model = new NoddiSignalModel(table, new Diffusivities(config.dPar(),
        config.dIso()));
    int[] b0 = table.b0Indices();
    int n = scan.grid().size();
    int nt = scan.nt();
    Volume rmse = Volume.zeros(scan.grid(), 1);
    Volume nrmse = Volume.zeros(scan.grid(), 1);
    Parallel.forChunks(n, 4096, (start, end) -> {
      double[] yh = new double[nt];
      double[] scratch = new double[nt];
      for (int v = start; v < end; v++) {
        if (!brain.contains(v)) {
          continue;
        }
        double s0 = 0;
        for (int t : b0) {
          s0 += scan.at(v, t);
        }
        s0 /= b0.length;
        if (!(s0 > 0)) {
          continue;
        }
        double[] mu = {fit.get(3).at(v, 0), fit.get(3).at(v, 1), fit.get(3).at(v, 2)};
        boolean tissue = mu[0] != 0 || mu[1] != 0 || mu[2] != 0;
        NoddiParams p = new NoddiParams(clamp(fit.get(0).at(v, 0)), tissue
            ? Math.max(1e-3, clamp(fit.get(1).at(v, 0))) : 1, clamp(fit.get(2).at(v, 0)),
            tissue ? mu : new double[] {0, 0, 1});
        model.signal(p, model.dispersion(p.kappa()), yh, scratch);
        double err = 0;
        double pow = 0;
        for (int t = 0; t < nt; t++) {
          double y = scan.at(v, t) / s0;
          err += (y - yh[t]) * (y - yh[t]);
          pow += y * y;
        }
        double r = Math.sqrt(err / nt);
        if (!Double.isFinite(r)) {
          continue; // a NaN or infinite value in the scan
        }
        rmse.data()[v] = (float) r;
        nrmse.data()[v] = pow > 0 ? (float) (r / Math.sqrt(pow / nt)) : 0f;
      }
    });
    return new Maps(rmse, nrmse);
  }

  private static double clamp(float x) {
    return Float.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
  }
}
