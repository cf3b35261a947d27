package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;

class GradientIOBadInputTest {
  @TempDir Path dir;

  @Test
  void negativeBValueIsReportedAgainstTheBvalFile() throws Exception {
    Path bval = Files.writeString(dir.resolve("dwi.bval"), "0 -1000\n");
    Path bvec = Files.writeString(dir.resolve("dwi.bvec"), "0 1\n0 0\n0 0\n");
    BadFileException e = assertThrows(BadFileException.class,
        () -> GradientIO.readFsl(bval, bvec));
    assertTrue(e.getMessage().equals(bval + ": b-value 1: expected a value >= 0, found -1000.0"),
        e.getMessage());
  }

  @Test
  void badDirectionIsStillReportedAgainstTheBvecFile() throws Exception {
    Path bval = Files.writeString(dir.resolve("dwi.bval"), "0 1000\n");
    Path bvec = Files.writeString(dir.resolve("dwi.bvec"), "0 0\n0 0\n0 0\n");
    BadFileException e = assertThrows(BadFileException.class,
        () -> GradientIO.readFsl(bval, bvec));
    assertTrue(e.getMessage().startsWith(bvec + ": b-vector 1"), e.getMessage());
  }
}
