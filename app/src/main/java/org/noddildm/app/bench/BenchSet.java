package org.noddildm.app.bench;

import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.DatasetSpec;
import org.noddildm.core.physics.degrade.Degradation;
import org.noddildm.core.physics.degrade.Noise;
import org.noddildm.core.physics.phantom.Anatomy;

/**
 * A held-out benchmark set: an anatomy, a grid and a dataset seed no training run uses
 * (training seeds are below 9000). Every set is scanned with the clinical protocol (b0 x 4,
 * b = 1000 and 2000 x 30 directions each, factor 2, Rician noise), whose direction set the
 * training data (random direction sets per subject) never contain.
 *
 * @param name the set's name on the command line
 * @param anatomy where the brains come from
 * @param nx high-res grid x
 * @param ny high-res grid y
 * @param nz high-res grid z
 * @param seed dataset seed (>= 9000)
 */
record BenchSet(String name, Anatomy anatomy, int nx, int ny, int nz, long seed) {
  static final BenchSet[] ALL = {
    new BenchSet("procedural-64", Anatomy.PROCEDURAL, 64, 64, 64, 9100),
    new BenchSet("procedural-large", Anatomy.PROCEDURAL, 112, 136, 112, 9200),
    new BenchSet("colin27", Anatomy.COLIN27, 64, 64, 64, 9300),
    new BenchSet("inia19", Anatomy.INIA19, 64, 64, 64, 9400),
  };

  static BenchSet parse(String s) {
    for (BenchSet b : ALL) {
      if (b.name.equals(s.trim().toLowerCase(Locale.ROOT))) {
        return b;
      }
    }
    throw new BadArgumentException("--sets: expected procedural-64, procedural-large, colin27"
        + " or inia19, found '" + s + "'");
  }

  /**
   * The dataset of this set at one SNR, made by block averaging or by plain k-space truncation
   * (the same brains and noise seeds either way).
   */
  DatasetSpec spec(int subjects, double snr, boolean kspace) {
    DatasetSpec d = DatasetSpec.defaults(subjects, seed);
    return new DatasetSpec(subjects, seed, nx, ny, nz, 1.25, d.supersample(), "clinical", null,
        new Degradation(2, kspace, Noise.RICIAN, snr, 0), d.diffusivities())
        .withAnatomy(anatomy);
  }
}
