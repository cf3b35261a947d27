package org.noddildm.core.physics;

import org.noddildm.core.BadArgumentException;

/**
 * The tissue parameters of one NODDI voxel (Zhang et al. 2012).
 *
 * @param ndi neurite density index v_ic (ICVF), the intra-neurite fraction of the tissue
 *     (non-free-water) signal, in [0, 1]
 * @param odi orientation dispersion index (2 / pi) arctan(1 / kappa), in [0, 1]
 * @param fwf free-water fraction v_iso (ISOVF), in [0, 1]
 * @param direction mean fibre direction mu, normalised to unit length here (sign irrelevant)
 */
public record NoddiParams(double ndi, double odi, double fwf, double[] direction) {
  public NoddiParams {
    BadArgumentException.require(ndi >= 0 && ndi <= 1, "NDI: expected [0, 1], found " + ndi);
    BadArgumentException.require(odi >= 0 && odi <= 1, "ODI: expected [0, 1], found " + odi);
    BadArgumentException.require(fwf >= 0 && fwf <= 1, "FWF: expected [0, 1], found " + fwf);
    BadArgumentException.require(direction != null && direction.length == 3,
        "direction: expected 3 components, found "
            + (direction == null ? "null" : direction.length));
    double n = Math.sqrt(direction[0] * direction[0] + direction[1] * direction[1]
        + direction[2] * direction[2]);
    BadArgumentException.require(n > 0 && Double.isFinite(n),
        "direction: expected a non-zero finite vector, found length " + n);
    direction = new double[] {direction[0] / n, direction[1] / n, direction[2] / n};
  }

  /** Parameters from the Watson concentration instead of ODI. */
  public static NoddiParams withKappa(double ndi, double kappa, double fwf, double[] mu) {
    return new NoddiParams(ndi, Watson.odiFromKappa(kappa), fwf, mu);
  }

  /** Watson concentration kappa = 1 / tan(pi ODI / 2). */
  public double kappa() {
    return Watson.kappaFromOdi(odi);
  }

  /** The unit direction, a copy. */
  @Override
  public double[] direction() {
    return direction.clone();
  }
}
