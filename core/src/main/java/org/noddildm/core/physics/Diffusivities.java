package org.noddildm.core.physics;

import org.noddildm.core.BadArgumentException;

/**
 * The fixed diffusivities of the NODDI model (Zhang et al. 2012), in mm^2/s.
 *
 * @param dPar intrinsic diffusivity along neurites, also the extra-cellular parallel
 *     diffusivity (default 1.7e-3 mm^2/s, in vivo white matter)
 * @param dIso free-water diffusivity of CSF (default 3.0e-3 mm^2/s, water at body temperature)
 */
public record Diffusivities(double dPar, double dIso) {
  /** The NODDI toolbox's in vivo defaults. */
  public static final Diffusivities IN_VIVO = new Diffusivities(1.7e-3, 3.0e-3);

  public Diffusivities {
    BadArgumentException.require(dPar > 0 && dPar < 0.01, "d_par: expected a diffusivity in"
        + " mm^2/s between 0 and 0.01 (typically 1.7e-3), found " + dPar);
    BadArgumentException.require(dIso > 0 && dIso < 0.01, "d_iso: expected a diffusivity in"
        + " mm^2/s between 0 and 0.01 (typically 3.0e-3), found " + dIso);
  }
}
