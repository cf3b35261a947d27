package org.noddildm.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class NormalisationTest {
  @Test
  void noddiMapsAreClippedToTheUnitInterval() {
    Volume m = new Volume(Grid.of(1, 1, 1, 1.0), 3, new float[] {-0.1f, 0.4f, Float.NaN});
    assertArrayEquals(new float[] {0, 0.4f, 0}, Normalisation.NODDI.noddi(m).data(), 0f);
  }

  @Test
  void targetNamesParseAndBadOnesSayWhatIsExpected() {
    assertEquals(Target.DWI, Target.parse("DWI"));
    var e = assertThrows(BadArgumentException.class, () -> Target.parse("fa"));
    assertEquals("VQ-GAN target: expected noddi or dwi, found fa", e.getMessage());
  }
}
