package org.noddildm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** The one line {@code noddi: error: ...} for errors that are not our own typed ones. */
class MainMessagesTest {
  @Test
  void outOfMemoryIsOneLineWithTheHeapHint() {
    assertEquals("out of memory: give Java more with JAVA_OPTS=-Xmx16g, or read less at once",
        Main.message(new OutOfMemoryError("Java heap space")));
  }

  @Test
  void commonIoErrorsNameTheirFileInPlainWords() {
    assertEquals("/data/dwi.nii.gz: no such file",
        Main.message(new NoSuchFileException("/data/dwi.nii.gz")));
    assertEquals("/out: permission denied", Main.message(new AccessDeniedException("/out")));
    assertEquals("/out/ndi.nii.gz: cannot write (No space left on device)",
        Main.message(new java.io.UncheckedIOException(new IOException(
            "/out/ndi.nii.gz: cannot write (No space left on device)"))));
  }

  @Test
  void anythingElseIsAnInternalErrorWithTheVerboseHint() {
    assertEquals("IllegalStateException: boom (an internal error; run with --verbose and report"
        + " it)", Main.message(new IllegalStateException("boom")));
  }
}
