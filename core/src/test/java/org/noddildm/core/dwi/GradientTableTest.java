package org.noddildm.core.dwi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.GradientIO;

class GradientTableTest {
  @TempDir Path dir;

  @Test
  void readsFslRowsAndColumnsAlike() throws Exception {
    Path bval = dir.resolve("bval");
    Files.writeString(bval, "0 1000 1000 2000\n");
    Path rows = dir.resolve("rows.bvec");
    Files.writeString(rows, "0 1 0 0.6\n0 0 1 0\n0 0 0 0.8\n");
    Path cols = dir.resolve("cols.bvec");
    Files.writeString(cols, "0 0 0\n1 0 0\n0 1 0\n0.6 0 0.8\n");
    GradientTable a = GradientIO.readFsl(bval, rows);
    GradientTable b = GradientIO.readFsl(bval, cols);
    assertArrayEquals(a.bvecs(), b.bvecs());
    assertArrayEquals(new double[] {0.6, 0, 0.8}, a.bvec(3), 1e-12);
    assertEquals("b0 x 1, b=1000 x 2, b=2000 x 1", a.summary());
  }

  @Test
  void readsMrtrixTablesWithComments() throws Exception {
    Path grad = dir.resolve("grad.b");
    Files.writeString(grad, "# command_history: test\n0 0 0 0\n1 0 0 995\n0 1 0 1005\n");
    GradientTable t = GradientIO.readMrtrix(grad);
    assertEquals(1, t.shells().size());
    assertEquals(1000, t.shells().get(0).bvalue());
    assertArrayEquals(new int[] {0}, t.b0Indices());
  }

  @Test
  void writeThenReadGivesTheSameTable() throws Exception {
    GradientTable t = GradientTable.of(new double[] {5, 700, 2000},
        new double[][] {{0, 0, 0}, {0, 0.6, 0.8}, {-1, 0, 0}});
    GradientIO.writeFsl(t, dir.resolve("a.bval"), dir.resolve("a.bvec"));
    GradientIO.writeMrtrix(t, dir.resolve("a.b"));
    GradientTable fsl = GradientIO.readFsl(dir.resolve("a.bval"), dir.resolve("a.bvec"));
    GradientTable mr = GradientIO.readMrtrix(dir.resolve("a.b"));
    for (GradientTable u : new GradientTable[] {fsl, mr}) {
      assertArrayEquals(t.bvals(), u.bvals(), 1e-9);
      for (int i = 0; i < 3; i++) {
        assertArrayEquals(t.bvec(i), u.bvec(i), 1e-8);
      }
    }
  }

  @Test
  void mismatchedCountsNameBothNumbers() throws Exception {
    Path bval = dir.resolve("bval");
    Files.writeString(bval, "0 1000 1000\n");
    Path bvec = dir.resolve("bvec");
    Files.writeString(bvec, "0 1\n0 0\n0 0\n");
    BadFileException e = assertThrows(BadFileException.class,
        () -> GradientIO.readFsl(bval, bvec));
    assertTrue(e.getMessage().contains("3 rows of 3") && e.getMessage().contains("3 rows of 2"),
        e.getMessage());
  }

  @Test
  void nonNumbersAndNaNsAreRejectedWithTheLine() throws Exception {
    Path bval = dir.resolve("bval");
    Files.writeString(bval, "0 1000 abc\n");
    Path bvec = dir.resolve("bvec");
    Files.writeString(bvec, "0 1 0\n0 0 1\n0 0 0\n");
    assertTrue(assertThrows(BadFileException.class, () -> GradientIO.readFsl(bval, bvec))
        .getMessage().contains("'abc'"));
    Files.writeString(bval, "0 1000 NaN\n");
    assertTrue(assertThrows(BadFileException.class, () -> GradientIO.readFsl(bval, bvec))
        .getMessage().contains("finite"));
  }

  @Test
  void zeroVectorOutsideB0IsRejectedButAllowedOnB0() {
    GradientTable ok = GradientTable.of(new double[] {0, 30}, new double[][] {{0, 0, 0},
        {0, 0, 0}});
    assertEquals(2, ok.b0Indices().length);
    BadArgumentException e = assertThrows(BadArgumentException.class, () -> GradientTable.of(
        new double[] {0, 1000}, new double[][] {{0, 0, 0}, {0, 0, 0}}));
    assertTrue(e.getMessage().contains("zero vector"), e.getMessage());
  }

  @Test
  void nearUnitVectorsAreNormalisedWithAWarningAndFarOnesRejected() {
    GradientTable t = GradientTable.of(new double[] {1000}, new double[][] {{1.02, 0, 0}});
    assertArrayEquals(new double[] {1, 0, 0}, t.bvec(0), 1e-12);
    assertFalse(t.warnings().isEmpty());
    assertThrows(BadArgumentException.class,
        () -> GradientTable.of(new double[] {1000}, new double[][] {{0.5, 0, 0}}));
  }

  @Test
  void hcpLikeJitteredBValuesGroupIntoThreeShells() {
    double[] b = {5, 990, 1005, 1985, 2010, 2990, 3005, 10};
    double[][] g = new double[b.length][];
    for (int i = 0; i < b.length; i++) {
      g[i] = new double[] {0, 0, 1};
    }
    GradientTable t = GradientTable.of(b, g);
    assertEquals(3, t.shells().size());
    assertEquals(998, t.shells().get(0).bvalue());
    assertArrayEquals(new int[] {5, 6}, t.shells().get(2).indices());
    assertArrayEquals(new int[] {0, 7}, t.b0Indices());
  }

  @Test
  void b0ThresholdIsConfigurable() {
    double[][] g = {{0, 0, 1}, {0, 0, 1}};
    GradientTable strict = new GradientTable(new double[] {0, 40}, g, 10, 100);
    assertEquals(1, strict.b0Indices().length);
    assertEquals(2, GradientTable.of(new double[] {0, 40}, g).b0Indices().length);
  }

  @Test
  void tableMustMatchTheImageVolumes() {
    GradientTable t = GradientTable.of(new double[] {0, 1000}, new double[][] {{0, 0, 0},
        {1, 0, 0}});
    BadArgumentException e = assertThrows(BadArgumentException.class, () -> t.requireVolumes(3));
    assertTrue(e.getMessage().contains("2 entries") && e.getMessage().contains("3 volumes"));
  }
}
