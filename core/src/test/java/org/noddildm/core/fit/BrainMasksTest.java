package org.noddildm.core.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

class BrainMasksTest {
  private static final Grid LO = Grid.of(4, 3, 2, 2.5);
  private static final Grid HI = Grid.of(8, 6, 4, 1.25);

  private static Path write(Path dir, String name, Grid g, float... values) throws Exception {
    Volume v = Volume.zeros(g, 1);
    System.arraycopy(values, 0, v.data(), 0, values.length);
    Path f = dir.resolve(name);
    NiftiWriter.write(f, v);
    return f;
  }

  @Test
  void theBrainIsTheFiniteNonZeroVoxelsOnTheFirstGridItLiesOn(@TempDir Path tmp)
      throws Exception {
    Path f = write(tmp, "m.nii.gz", HI, 1, 0, -1, Float.NaN, 0.2f);
    Mask m = BrainMasks.read(f, new BrainMasks.Target("the scan's grid", LO),
        new BrainMasks.Target("the output grid", HI));
    assertEquals(HI, m.grid());
    assertEquals(3, m.count(), "1, -1 and 0.2 are brain; 0 and NaN are not");
    assertTrue(m.contains(0) && !m.contains(1) && m.contains(2) && !m.contains(3));
  }

  @Test
  void aMaskElsewhereOrEmptyIsRefusedWithOneLine(@TempDir Path tmp) throws Exception {
    Grid moved = new Grid(4, 3, 2, Affine.of(new double[][] {{2.5, 0, 0, 5}, {0, 2.5, 0, 0},
        {0, 0, 2.5, 0}, {0, 0, 0, 1}}));
    Path other = write(tmp, "other.nii.gz", moved, 1);
    var e = assertThrows(BadFileException.class, () -> BrainMasks.read(other, "the DWI grid", LO));
    assertTrue(e.getMessage().contains("expected a brain mask on the DWI grid 4 x 3 x 2 with its"
        + " affine, found 4 x 3 x 2 with another affine"), e.getMessage());
    Path small = write(tmp, "small.nii.gz", Grid.of(2, 2, 2, 2.5), 1);
    var s = assertThrows(BadFileException.class, () -> BrainMasks.read(small,
        new BrainMasks.Target("the scan's grid", LO), new BrainMasks.Target("the output grid",
            HI)));
    assertTrue(s.getMessage().contains("on the scan's grid 4 x 3 x 2 or the output grid"
        + " 8 x 6 x 4 with its affine, found 2 x 2 x 2"), s.getMessage());
    Path empty = write(tmp, "empty.nii.gz", LO);
    var z = assertThrows(BadFileException.class, () -> BrainMasks.read(empty, "the DWI grid", LO));
    assertTrue(z.getMessage().contains("found none"), z.getMessage());
  }
}
