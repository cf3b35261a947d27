package org.noddildm.core.fit;

import org.noddildm.core.physics.Watson;

/**
 * One voxel's NODDI estimate (Zhang et al. 2012).
 *
 * @param ndi neurite density index v_ic (ICVF): intra-neurite fraction of the tissue signal
 * @param odi orientation dispersion index (2 / pi) arctan(1 / kappa)
 * @param fwf free-water fraction v_iso (ISOVF)
 * @param s0 fitted non-diffusion-weighted signal
 * @param direction unit mean fibre direction (z >= 0) in the frame of the b-vectors; zero where
 *     the voxel is free water alone
 */
public record NoddiFit(double ndi, double odi, double fwf, double s0, double[] direction) {

  /** Watson concentration kappa = 1 / tan(pi ODI / 2). */
  public double kappa() {
    return Watson.kappaFromOdi(Math.max(0, Math.min(1, odi)));
  }
}
