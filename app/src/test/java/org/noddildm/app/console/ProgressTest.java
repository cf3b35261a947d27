package org.noddildm.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static String[] logLines(int total, int steps) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Progress p = new Progress("job", total, "item", new PrintStream(bytes, true,
        StandardCharsets.UTF_8), false)) {
      for (int k = 0; k < steps; k++) {
        p.step(1);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
  }

  @Test
  void aLogGetsOneLinePerTenthAndTheFinishedLineOnce() {
    String[] lines = logLines(20, 20);
    assertEquals(11, lines.length, String.join("\n", lines)); // 0%, 10%, ..., 100%
    assertEquals(1, java.util.Arrays.stream(lines).filter(l -> l.contains("100%")).count());
  }

  @Test
  void anUnfinishedJobStillEndsWithItsLastState() {
    String[] lines = logLines(20, 5);
    assertEquals(true, lines[lines.length - 1].contains(" 5/20 "), lines[lines.length - 1]);
  }
}
