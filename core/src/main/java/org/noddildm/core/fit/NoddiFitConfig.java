package org.noddildm.core.fit;

import java.util.Arrays;
import org.noddildm.core.BadArgumentException;

/**
 * Settings of the dictionary NODDI fit ({@link NoddiModel}); the defaults are AMICO's (Daducci
 * et al. 2015 and the AMICO NODDI model: 12 ODI values, 12 intra-cellular fractions, in vivo
 * diffusivities).
 *
 * @param odiGrid ODI of the kernels; default 0.03, 0.06, then 10 values from 0.09 to 0.99
 * @param vicGrid intra-cellular volume fractions of the kernels; default 12 values 0.1 to 0.99
 * @param dPar intrinsic parallel diffusivity, mm^2/s; default 1.7e-3
 * @param dIso free-water diffusivity, mm^2/s; default 3.0e-3
 * @param lambda1 L1 (sparsity) penalty on the weights of the AMICO estimator, in units of the
 *     b0-normalised signal; default 0 (plain non-negative least squares, already sparse)
 * @param lambda2 ridge penalty relative to the mean squared kernel norm (AMICO normalises its
 *     kernels and uses 1e-3); default 0, since any ridge spreads the weights over many
 *     similar atoms and biases the estimates (measured in docs/fitting.md)
 * @param directions fibre directions on the hemisphere the kernels are rotated to; the voxel's
 *     DTI direction snaps to the nearest; default 1000 (about 4.5 degrees apart)
 * @param directionMaxB largest b-value (s/mm^2) of the volumes the DTI fit for the fibre
 *     direction uses; default infinity (all shells: the higher shell sharpens the direction, at
 *     SNR 30 on the NODDI protocol the mean angle error falls from 21 to 13 degrees and the ODI
 *     error from 0.080 to 0.057 compared with b <= 1500)
 * @param estimator how the parameters are read off the dictionary; default SEARCH (see
 *     {@link NoddiModel}), AMICO for the weight averages of Daducci et al.
 * @param minTissue when the fitted tissue fraction 1 - FWF is below this, NDI, ODI and the
 *     direction are undefined (free water alone, or the noise floor mimicking a trace of tissue) and are
 *     reported as 0, the value ground-truth phantoms give pure CSF; default 0.05, 0 disables
 * @param refine polish each voxel with a bounded Nelder-Mead fit of (NDI, ODI, FWF, direction)
 *     started from the dictionary estimate, like the NODDI toolbox's nonlinear fit; default off
 */
public record NoddiFitConfig(double[] odiGrid, double[] vicGrid, double dPar, double dIso,
    double lambda1, double lambda2, int directions, double directionMaxB, Estimator estimator,
    double minTissue, boolean refine) {

  /** How NDI, ODI and FWF are read off the dictionary. */
  public enum Estimator {
    /** Weighted averages of the atoms' parameters under the non-negative fit of all atoms. */
    AMICO,
    /** The best single tissue atom plus free water, refined between grid points. */
    SEARCH
  }

  public NoddiFitConfig {
    BadArgumentException.require(odiGrid != null && odiGrid.length >= 2,
        "ODI grid: expected at least 2 values, found " + (odiGrid == null ? 0 : odiGrid.length));
    BadArgumentException.require(vicGrid != null && vicGrid.length >= 2,
        "v_ic grid: expected at least 2 values, found " + (vicGrid == null ? 0 : vicGrid.length));
    for (double o : odiGrid) {
      BadArgumentException.require(o > 0 && o < 1, "ODI grid: expected values in (0, 1), found "
          + o);
    }
    for (double v : vicGrid) {
      BadArgumentException.require(v >= 0 && v <= 1, "v_ic grid: expected values in [0, 1],"
          + " found " + v);
    }
    BadArgumentException.require(dPar > 0 && dPar < 0.01,
        "d_par: expected mm^2/s in (0, 0.01), e.g. 1.7e-3, found " + dPar);
    BadArgumentException.require(dIso > 0 && dIso < 0.01,
        "d_iso: expected mm^2/s in (0, 0.01), e.g. 3.0e-3, found " + dIso);
    BadArgumentException.require(lambda1 >= 0 && Double.isFinite(lambda1),
        "lambda1: expected >= 0, found " + lambda1);
    BadArgumentException.require(lambda2 >= 0 && Double.isFinite(lambda2),
        "lambda2: expected >= 0, found " + lambda2);
    BadArgumentException.require(directions >= 1 && directions <= 20_000,
        "dictionary directions: expected 1..20000, found " + directions);
    BadArgumentException.require(directionMaxB > 0,
        "direction max b: expected > 0, found " + directionMaxB);
    BadArgumentException.require(minTissue >= 0 && minTissue < 1,
        "minimum tissue fraction: expected [0, 1), found " + minTissue);
    BadArgumentException.require(estimator != null, "estimator: expected AMICO or SEARCH, found"
        + " null");
    odiGrid = odiGrid.clone();
    vicGrid = vicGrid.clone();
  }

  /** AMICO's defaults. */
  public static NoddiFitConfig defaults() {
    double[] odi = new double[12];
    odi[0] = 0.03;
    odi[1] = 0.06;
    for (int k = 0; k < 10; k++) {
      odi[2 + k] = 0.09 + k * (0.99 - 0.09) / 9;
    }
    double[] vic = new double[12];
    for (int k = 0; k < 12; k++) {
      vic[k] = 0.1 + k * (0.99 - 0.1) / 11;
    }
    return new NoddiFitConfig(odi, vic, 1.7e-3, 3.0e-3, 0, 0, 1000, Double.POSITIVE_INFINITY,
        Estimator.SEARCH,
        0.05, false);
  }

  public NoddiFitConfig withRefine(boolean r) {
    return new NoddiFitConfig(odiGrid, vicGrid, dPar, dIso, lambda1, lambda2, directions,
        directionMaxB, estimator, minTissue, r);
  }

  public NoddiFitConfig withEstimator(Estimator e) {
    return new NoddiFitConfig(odiGrid, vicGrid, dPar, dIso, lambda1, lambda2, directions,
        directionMaxB, e, minTissue, refine);
  }

  public NoddiFitConfig withMinTissue(double t) {
    return new NoddiFitConfig(odiGrid, vicGrid, dPar, dIso, lambda1, lambda2, directions,
        directionMaxB, estimator, t, refine);
  }

  public NoddiFitConfig withDirections(int n) {
    return new NoddiFitConfig(odiGrid, vicGrid, dPar, dIso, lambda1, lambda2, n, directionMaxB,
        estimator, minTissue, refine);
  }

  public NoddiFitConfig withLambdas(double l1, double l2) {
    return new NoddiFitConfig(odiGrid, vicGrid, dPar, dIso, l1, l2, directions, directionMaxB,
        estimator, minTissue, refine);
  }

  public NoddiFitConfig withGrids(double[] odi, double[] vic) {
    return new NoddiFitConfig(odi, vic, dPar, dIso, lambda1, lambda2, directions, directionMaxB,
        estimator, minTissue, refine);
  }

  @Override
  public double[] odiGrid() {
    return odiGrid.clone();
  }

  @Override
  public double[] vicGrid() {
    return vicGrid.clone();
  }

  @Override
  public String toString() {
    return "NoddiFitConfig[odiGrid=" + Arrays.toString(odiGrid) + ", vicGrid="
        + Arrays.toString(vicGrid) + ", dPar=" + dPar + ", dIso=" + dIso + ", lambda1=" + lambda1
        + ", lambda2=" + lambda2 + ", directions=" + directions + ", directionMaxB=" + directionMaxB
        + ", estimator=" + estimator + ", minTissue=" + minTissue + ", refine=" + refine + "]";
  }
}
