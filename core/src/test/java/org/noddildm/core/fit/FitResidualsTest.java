package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.physics.NoddiParams;
import org.noddildm.core.physics.NoddiSignal;
import org.noddildm.core.physics.Protocol;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class FitResidualsTest {
  private static final GradientTable TABLE = Protocol.NODDI.table();
  private static final NoddiParams TRUE = new NoddiParams(0.6, 0.2, 0.1, new double[] {1, 0, 0});

  @Test
  void theTrueParametersLeaveNoErrorAndWrongOnesDo() {
    Grid g = new Grid(3, 1, 1, Affine.identity());
    double[] s = NoddiSignal.signal(TRUE, TABLE);
    Volume scan = Volume.zeros(g, s.length);
    for (int v = 0; v < 3; v++) {
      for (int t = 0; t < s.length; t++) {
        scan.set(v, 0, 0, t, (float) (800 * s[t]));
      }
    }
    // voxel 0: the truth; voxel 1: NDI and direction wrong; voxel 2: outside the mask
    Volume ndi = Volume.zeros(g, 1);
    Volume odi = Volume.zeros(g, 1);
    Volume fwf = Volume.zeros(g, 1);
    Volume dir = Volume.zeros(g, 3);
    for (int v = 0; v < 3; v++) {
      ndi.set(v, 0, 0, 0, v == 1 ? 0.3f : 0.6f);
      odi.set(v, 0, 0, 0, 0.2f);
      fwf.set(v, 0, 0, 0, 0.1f);
      dir.set(v, 0, 0, v == 1 ? 1 : 0, 1f);
    }
    Mask brain = new Mask(g, new boolean[] {true, true, false});
    FitResiduals.Maps m = FitResiduals.of(scan, TABLE, brain, List.of(ndi, odi, fwf, dir),
        NoddiFitConfig.defaults());
    assertEquals(0, m.rmse().at(0, 0), 1e-5);
    assertEquals(0, m.nrmse().at(0, 0), 1e-5);
    assertTrue(m.rmse().at(1, 0) > 0.02, "rmse " + m.rmse().at(1, 0));
    assertTrue(m.nrmse().at(1, 0) > m.rmse().at(1, 0), "normalised by an RMS below 1");
    assertEquals(0, m.rmse().at(2, 0));
  }
}
