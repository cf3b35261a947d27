package org.noddildm.core.physics.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TissueMixTest {
  private static TissueMix gmWithCsf(double csf) {
    TissueMix mix = new TissueMix();
    mix.add(Tissue.CSF, csf, 0, 0, 1, 2500);
    mix.add(Tissue.GM, 1 - csf, 0.4, 0.6, 0.1, 1250);
    return mix;
  }

  @Test
  void tissueBelowTheFreeWaterLimitKeepsItsShareWeightedMean() {
    TissueMix mix = new TissueMix();
    mix.add(Tissue.GM, 0.5, 0.4, 0.6, 0.1, 1250);
    mix.add(Tissue.WM, 0.5, 0.7, 0.2, 0.1, 1000);
    assertEquals(0.1, mix.fwf(), 1e-12);
    assertEquals(0.55, mix.ndi(), 1e-12);
    assertEquals(0.4, mix.odi(), 1e-12);
    assertEquals(1125, mix.s0(), 1e-9);
    // a little CSF raises FWF but leaves NDI and ODI to the tissue
    TissueMix pv = gmWithCsf(0.5);
    assertEquals(0.55, pv.fwf(), 1e-12);
    assertEquals(0.4, pv.ndi(), 1e-12);
    assertEquals(0.6, pv.odi(), 1e-12);
    assertEquals(Tissue.GM, pv.dominant());
  }

  @Test
  void ndiAndOdiFadeToZeroAsTheVoxelBecomesFreeWater() {
    double last = Double.MAX_VALUE;
    for (double csf = 0.85; csf <= 1.0 + 1e-9; csf += 0.01) {
      TissueMix mix = gmWithCsf(Math.min(1, csf));
      double ndi = mix.ndi();
      assertTrue(ndi <= last + 1e-12, "NDI rises at CSF fraction " + csf);
      assertEquals(mix.odi() / 0.6, ndi / 0.4, 1e-12, "NDI and ODI share one taper");
      last = ndi;
    }
    assertEquals(0, gmWithCsf(1).ndi());
    assertEquals(0, gmWithCsf(0.995).ndi(), 0.01);
    assertEquals(-1, gmWithCsf(1).dominant());
  }

  @Test
  void resetStartsANewVoxel() {
    TissueMix mix = gmWithCsf(0.2);
    mix.reset();
    assertEquals(0, mix.fwf());
    assertEquals(0, mix.ndi());
    assertEquals(0, mix.s0());
    assertEquals(-1, mix.dominant());
  }
}
