package org.noddildm.core.physics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;

class ProtocolTest {
  @Test
  void namedProtocolsHaveTheirShells() {
    assertEquals("b0 x 18, b=1000 x 90, b=2000 x 90, b=3000 x 90",
        Protocol.HCP.table().summary());
    assertEquals("b0 x 9, b=700 x 30, b=2000 x 60", Protocol.NODDI.table().summary());
    assertEquals("b0 x 4, b=1000 x 30, b=2000 x 30", Protocol.CLINICAL.table().summary());
    assertEquals(64, Protocol.parse("clinical").volumes());
  }

  @Test
  void specStringBuildsCustomProtocol() {
    Protocol p = Protocol.parse("0x6, 1000x32, 2000x62, 0x2");
    assertEquals(8, p.b0());
    assertEquals(102, p.volumes());
    assertThrows(BadArgumentException.class, () -> Protocol.parse("1000-30"));
    assertThrows(BadArgumentException.class, () -> Protocol.parse("1000xthirty"));
    assertThrows(BadArgumentException.class, () -> Protocol.parse("-5x30"));
  }

  @Test
  void repulsionSpreadsDirectionsWellAndDeterministically() {
    // 6 axes: the optimum is the icosahedron's, 63.43 degrees between neighbouring axes
    assertEquals(63.43, Directions.minAngleDegrees(Directions.electrostatic(6)), 0.01);
    double[][] d = Directions.electrostatic(30);
    // 30 axes: the golden-angle spiral start gives 13.8 degrees; repulsion about 25.6
    assertTrue(Directions.minAngleDegrees(d) > 24, "min angle " + Directions.minAngleDegrees(d));
    assertArrayEquals(d[7], Directions.electrostatic(30)[7], 0);
    for (double[] v : d) {
      assertEquals(1, Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), 1e-12);
    }
    assertTrue(Directions.minAngleDegrees(Directions.electrostatic(90)) > 13);
  }

  @Test
  void subsetKeepsWellSpreadDirectionsOfChosenShells() {
    GradientTable full = Protocol.HCP.table();
    int[] keep = DirectionSubset.select(full, 30, new double[] {1000, 2000}, 3);
    GradientTable sub = full.select(keep);
    assertEquals("b0 x 3, b=1000 x 30, b=2000 x 30", sub.summary());
    double[][] shell = new double[30][];
    int[] idx = sub.shells().get(0).indices();
    for (int i = 0; i < 30; i++) {
      shell[i] = sub.bvec(idx[i]);
    }
    assertTrue(Directions.minAngleDegrees(shell) > 10,
        "min angle " + Directions.minAngleDegrees(shell));
    assertThrows(BadArgumentException.class,
        () -> DirectionSubset.select(full, 30, new double[] {5000}, 1));
  }
}
