package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;

class GradientFilesBesideTest {
  @Test
  void findsTheBvalAndBvecBesideANiftiOrGzippedNifti(@TempDir Path d) throws Exception {
    Files.writeString(d.resolve("sub-01_dwi.bval"), "0 1000\n");
    Files.writeString(d.resolve("sub-01_dwi.bvec"), "0 1\n0 0\n0 0\n");
    for (String name : new String[] {"sub-01_dwi.nii.gz", "sub-01_dwi.nii"}) {
      assertArrayEquals(new Path[] {d.resolve("sub-01_dwi.bval"), d.resolve("sub-01_dwi.bvec")},
          GradientIO.fslPairFor(d.resolve(name), null, null));
    }
    Path given = d.resolve("other.bval");
    assertArrayEquals(new Path[] {given, given}, GradientIO.fslPairFor(d.resolve("x.nii"),
        given, given));
  }

  @Test
  void missingOrHalfGivenTablesAreOneClearError(@TempDir Path d) throws Exception {
    Files.writeString(d.resolve("a.bval"), "0 1000\n");
    BadFileException e = assertThrows(BadFileException.class,
        () -> GradientIO.fslPairFor(d.resolve("a.nii.gz"), null, null));
    assertTrue(e.getMessage().contains("a.bval and a.bvec beside it, found no a.bvec"),
        e.getMessage());
    BadArgumentException half = assertThrows(BadArgumentException.class,
        () -> GradientIO.fslPairFor(d.resolve("a.nii.gz"), d.resolve("a.bval"), null));
    assertTrue(half.getMessage().contains("expected both the b-values and the b-vectors or"
        + " neither, found only the b-values"), half.getMessage());
  }
}
