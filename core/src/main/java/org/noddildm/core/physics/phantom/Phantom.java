package org.noddildm.core.physics.phantom;

import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * One digital brain subject: ground-truth NODDI maps and what goes with them, all on one grid.
 *
 * @param maps 3 volumes: NDI, ODI, FWF (0..1; 0 outside the mask)
 * @param direction 3 volumes: x, y, z of the unit fibre direction in the voxel-axis frame (the
 *     frame of FSL b-vectors); zero in pure CSF and outside the mask
 * @param labels tissue labels ({@link Tissue}) as floats
 * @param mask the brain (including extra-cerebral CSF)
 * @param s0 non-diffusion-weighted signal (arbitrary units, white matter about 1000)
 * @param seed the seed it was generated from
 */
public record Phantom(Volume maps, Volume direction, Volume labels, Mask mask, Volume s0,
    long seed) {
  public Grid grid() {
    return maps.grid();
  }

  public Volume ndi() {
    return maps.volume(0);
  }

  public Volume odi() {
    return maps.volume(1);
  }

  public Volume fwf() {
    return maps.volume(2);
  }

  /** The NODDI parameters of voxel i, or null outside the mask. */
  public NoddiParams params(int i) {
    if (!mask.contains(i)) {
      return null;
    }
    double dx = direction.at(i, 0);
    double dy = direction.at(i, 1);
    double dz = direction.at(i, 2);
    double[] mu = dx == 0 && dy == 0 && dz == 0 ? new double[] {0, 0, 1}
        : new double[] {dx, dy, dz};
    return new NoddiParams(maps.at(i, 0), maps.at(i, 1), maps.at(i, 2), mu);
  }
}
