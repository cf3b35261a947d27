package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignal;
import org.noddildm.core.physics.Protocol;

class NoddiModelTest {
  private static final GradientTable PROTOCOL = Protocol.NODDI.table();
  private static final NoddiModel SEARCH = new NoddiModel(PROTOCOL, NoddiFitConfig.defaults());

  private static double[] signal(NoddiParams p, double s0) {
    double[] s = NoddiSignal.signal(p, PROTOCOL);
    for (int i = 0; i < s.length; i++) {
      s[i] *= s0;
    }
    return s;
  }

  @Test
  void recoversTypicalTissueFromNoiselessSignalsWithinTwoHundredths() {
    double[][] cases = {
        {0.70, 0.15, 0.05}, // coherent white matter
        {0.45, 0.45, 0.10}, // grey matter
        {0.55, 0.30, 0.30}, // white matter near CSF
        {0.30, 0.60, 0.00}, // dispersed cortex
    };
    for (double[] c : cases) {
      NoddiParams p = new NoddiParams(c[0], c[1], c[2], new double[] {0.3, -0.5, 0.81});
      NoddiFit f = SEARCH.fit(signal(p, 900));
      String what = "case " + java.util.Arrays.toString(c) + " fit " + f;
      assertEquals(p.ndi(), f.ndi(), 0.02, what);
      assertEquals(p.odi(), f.odi(), 0.02, what);
      assertEquals(p.fwf(), f.fwf(), 0.02, what);
      assertEquals(900, f.s0(), 900 * 0.02, what);
      double[] d = f.direction();
      double[] mu = p.direction();
      assertTrue(Math.abs(d[0] * mu[0] + d[1] * mu[1] + d[2] * mu[2]) > 0.999, what);
    }
  }

  @Test
  void meanErrorOverTheRealisticRangeIsBelowTwoHundredthsWithoutNoise() {
    FitSimulation.Voxels v = FitSimulation.draw(PROTOCOL, 400,
        FitSimulation.Range.realistic(), 1, 0, 11);
    double[] mae = new double[3];
    for (int k = 0; k < 400; k++) {
      NoddiFit f = SEARCH.fit(v.signals()[k]);
      NoddiParams p = v.truth()[k];
      mae[0] += Math.abs(f.ndi() - p.ndi()) / 400;
      mae[1] += Math.abs(f.odi() - p.odi()) / 400;
      mae[2] += Math.abs(f.fwf() - p.fwf()) / 400;
    }
    for (double e : mae) {
      assertTrue(e < 0.02, "MAE NDI, ODI, FWF " + java.util.Arrays.toString(mae));
    }
  }

  @Test
  void amicoWeightAveragesAlsoRecoverWhiteMatter() {
    NoddiModel amico = new NoddiModel(PROTOCOL,
        NoddiFitConfig.defaults().withEstimator(NoddiFitConfig.Estimator.AMICO));
    NoddiParams p = new NoddiParams(0.65, 0.2, 0.1, new double[] {1, 0, 0});
    NoddiFit f = amico.fit(signal(p, 1));
    assertEquals(p.ndi(), f.ndi(), 0.03, f.toString());
    assertEquals(p.odi(), f.odi(), 0.03, f.toString());
    assertEquals(p.fwf(), f.fwf(), 0.03, f.toString());
  }

  @Test
  void refinementRecoversOffGridParametersExactly() {
    NoddiModel refined = new NoddiModel(PROTOCOL, NoddiFitConfig.defaults().withRefine(true));
    NoddiParams p = new NoddiParams(0.537, 0.234, 0.171, new double[] {0.1, 0.9, 0.3});
    NoddiFit f = refined.fit(signal(p, 2));
    assertEquals(p.ndi(), f.ndi(), 0.005, f.toString());
    assertEquals(p.odi(), f.odi(), 0.005, f.toString());
    assertEquals(p.fwf(), f.fwf(), 0.005, f.toString());
    assertEquals(2, f.s0(), 0.01, f.toString());
  }

  @Test
  void pureFreeWaterGivesFwfOneAndZeroNdiOdiDirection() {
    NoddiParams p = new NoddiParams(0.5, 0.5, 1.0, new double[] {0, 0, 1});
    NoddiFit f = SEARCH.fit(signal(p, 100));
    assertEquals(1, f.fwf(), 0.02, f.toString());
    assertEquals(0, f.ndi(), 0, f.toString());
    assertEquals(0, f.odi(), 0, f.toString());
    assertEquals(0, f.direction()[0] * f.direction()[0] + f.direction()[1] * f.direction()[1]
        + f.direction()[2] * f.direction()[2], 0);
    NoddiModel keepAll = new NoddiModel(PROTOCOL, NoddiFitConfig.defaults().withMinTissue(0));
    assertTrue(keepAll.fit(signal(p, 100)).ndi() > 0, "without the convention NDI is whatever");
  }

  @Test
  void rejectsSingleShellProtocols() {
    GradientTable single = FitSimulation.shells(2, new double[] {1000}, new int[] {30});
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> new NoddiModel(single, NoddiFitConfig.defaults()));
    assertTrue(e.getMessage().contains("two"), e.getMessage());
  }
}
