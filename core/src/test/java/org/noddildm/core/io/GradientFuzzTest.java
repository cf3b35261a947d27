package org.noddildm.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Arrays;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;

/**
 * Fuzz tests of the gradient table readers (FSL bval/bvec, MRtrix grad): any text is read as a
 * table or refused with a typed error; anything else is a finding. Seeds and crashes live in
 * {@code GradientFuzzTestInputs/<method>/}; docs/reliability.md says how to fuzz.
 */
class GradientFuzzTest {

  /** The bytes before the first NUL are the bval file, those after it the bvec file. */
  @FuzzTest(maxDuration = "10m")
  void readsFslPairOrRefusesIt(byte[] data) throws IOException {
    int nul = 0;
    while (nul < data.length && data[nul] != 0) {
      nul++;
    }
    byte[] bval = Arrays.copyOfRange(data, 0, nul);
    byte[] bvec = Arrays.copyOfRange(data, Math.min(nul + 1, data.length), data.length);
    try {
      use(GradientIO.readFsl(FuzzFiles.write("fuzz.bval", bval),
          FuzzFiles.write("fuzz.bvec", bvec)));
    } catch (BadFileException | BadArgumentException e) {
      // refused in one typed line: fine
    }
  }

  @FuzzTest(maxDuration = "10m")
  void readsMrtrixTableOrRefusesIt(byte[] data) throws IOException {
    try {
      use(GradientIO.readMrtrix(FuzzFiles.write("fuzz.b", data)));
    } catch (BadFileException | BadArgumentException e) {
      // refused in one typed line: fine
    }
  }

  private static void use(GradientTable g) {
    for (int i = 0; i < g.size(); i++) {
      g.bval(i);
      g.bvec(i);
    }
    g.shells();
    g.warnings();
    g.summary();
  }
}
