package org.noddildm.core.physics;

import org.noddildm.core.dwi.GradientTable;

/**
 * The NODDI signal as a pure function of the parameters and the protocol (Zhang et al. 2012):
 * S/S0 = (1 - v_iso) (v_ic E_ic + (1 - v_ic) E_ec) + v_iso E_iso; see {@link NoddiSignalModel}
 * for the compartments and for a version that reuses the protocol's precomputation across
 * voxels.
 */
public final class NoddiSignal {
  private NoddiSignal() {}

  /** S/S0 per volume with the in vivo diffusivities (d_par 1.7e-3, d_iso 3.0e-3 mm^2/s). */
  public static double[] signal(NoddiParams p, GradientTable table) {
    return signal(p, table, Diffusivities.IN_VIVO);
  }

  /** S/S0 per volume with the given diffusivities. */
  public static double[] signal(NoddiParams p, GradientTable table, Diffusivities d) {
    return new NoddiSignalModel(table, d).signal(p);
  }
}
