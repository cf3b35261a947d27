package org.noddildm.core.fit;

/**
 * One voxel's diffusion tensor (Basser et al. 1994) and the scalar maps read off its
 * eigenvalues (Basser and Pierpaoli 1996). Diffusivities in mm^2/s.
 *
 * @param s0 fitted non-diffusion-weighted signal
 * @param tensor the six unique entries Dxx, Dxy, Dxz, Dyy, Dyz, Dzz
 * @param eigenvalues lambda1 >= lambda2 >= lambda3, negative values clipped to 0
 * @param direction unit principal eigenvector (z >= 0), in the frame of the b-vectors
 */
public record DtiFit(double s0, double[] tensor, double[] eigenvalues, double[] direction) {

  /** Mean diffusivity (lambda1 + lambda2 + lambda3) / 3. */
  public double md() {
    return (eigenvalues[0] + eigenvalues[1] + eigenvalues[2]) / 3;
  }

  /** Axial diffusivity lambda1. */
  public double ad() {
    return eigenvalues[0];
  }

  /** Radial diffusivity (lambda2 + lambda3) / 2. */
  public double rd() {
    return (eigenvalues[1] + eigenvalues[2]) / 2;
  }

  /**
   * Fractional anisotropy sqrt(1/2) * sqrt((l1-l2)^2 + (l2-l3)^2 + (l3-l1)^2) / sqrt(l1^2 + l2^2
   * + l3^2); 0 for a zero tensor.
   */
  public double fa() {
    double l1 = eigenvalues[0];
    double l2 = eigenvalues[1];
    double l3 = eigenvalues[2];
    double den = l1 * l1 + l2 * l2 + l3 * l3;
    if (den <= 0) {
      return 0;
    }
    double num = (l1 - l2) * (l1 - l2) + (l2 - l3) * (l2 - l3) + (l3 - l1) * (l3 - l1);
    return Math.min(1, Math.sqrt(0.5 * num / den));
  }
}
