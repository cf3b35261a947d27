package org.noddildm.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class NormalisationTest {
  private static final GradientTable TABLE = GradientTable.of(new double[] {0, 1000, 0, 2000},
      new double[][] {{0, 0, 0}, {1, 0, 0}, {0, 0, 0}, {0, 1, 0}});

  @Test
  void dwiIsDividedByTheMeanB0ClippedAndBackgroundIsZero() {
    // 2 voxels x 4 volumes: voxel 0 has b0s 90 and 110 (mean 100); voxel 1 is background
    Volume dwi = new Volume(Grid.of(2, 1, 1, 1.0), 4,
        new float[] {90, 0, 50, 0, 110, 0, 180, 0});
    Normalisation n = Normalisation.defaults(Target.DWI);
    Volume e = n.dwi(dwi, TABLE);
    assertArrayEquals(new float[] {0.9f, 0, 0.5f, 0, 1.1f, 0, 1.5f, 0}, e.data(), 1e-6f);
    Volume back = Normalisation.undoDwi(e, Normalisation.meanB0(dwi, TABLE));
    assertEquals(50f, back.data()[2], 1e-4);
    assertEquals(150f, back.data()[6], 1e-4, "clipped at 1.5 x mean b0");
  }

  @Test
  void voxelsWithAFaintB0CountAsBackground() {
    int n = 100;
    float[] d = new float[4 * n];
    for (int i = 0; i < n; i++) {
      float b0 = i == 0 ? 30 : 1000; // voxel 0: 3% of the typical b0, i.e. noise
      d[i] = b0;
      d[n + i] = b0 / 2;
      d[2 * n + i] = b0;
      d[3 * n + i] = b0 / 4;
    }
    Volume e = Normalisation.defaults(Target.DWI).dwi(new Volume(Grid.of(n, 1, 1, 1.0), 4, d),
        TABLE);
    assertEquals(0f, e.data()[n], 0f);
    assertEquals(0.5f, e.data()[n + 1], 1e-6f);
  }

  @Test
  void noddiMapsAreClippedToTheUnitInterval() {
    Volume m = new Volume(Grid.of(1, 1, 1, 1.0), 3, new float[] {-0.1f, 0.4f, Float.NaN});
    assertArrayEquals(new float[] {0, 0.4f, 0},
        Normalisation.defaults(Target.NODDI).noddi(m).data(), 0f);
  }

  @Test
  void aScanWithoutB0IsRejected() {
    GradientTable noB0 = GradientTable.of(new double[] {1000},
        new double[][] {{1, 0, 0}});
    Volume dwi = new Volume(Grid.of(1, 1, 1, 1.0), 1, new float[] {1});
    var e = assertThrows(BadArgumentException.class,
        () -> Normalisation.defaults(Target.DWI).dwi(dwi, noB0));
    assertTrue(e.getMessage().contains("expected at least one b0 volume"), e.getMessage());
  }

  @Test
  void targetNamesParseAndBadOnesSayWhatIsExpected() {
    assertEquals(Target.DWI, Target.parse("DWI"));
    var e = assertThrows(BadArgumentException.class, () -> Target.parse("fa"));
    assertEquals("--target: expected noddi or dwi, found fa", e.getMessage());
  }
}
