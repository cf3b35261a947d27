package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;

/** {@code --no-progress} works on every command, before or after the command's name. */
class NoProgressTest {
  @TempDir Path dir;

  private String stderrOf(String... args) {
    PrintStream saved = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CliRunner.run(args).exitCode());
    } finally {
      System.setErr(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void progressBarsAreOffForTheRunThatAsksAndOnAgainAfter() {
    String[] sim = {"simulate", "--size", "16x16x16", "--subjects", "1", "--seed", "2"};
    String quiet = stderrOf(concat(sim, "--out", dir.resolve("a").toString(), "--no-progress"));
    assertFalse(quiet.contains("simulate ["), quiet);
    String global = stderrOf(concat(new String[] {"--no-progress"}, concat(sim, "--out",
        dir.resolve("b").toString())));
    assertFalse(global.contains("simulate ["), global);
    String loud = stderrOf(concat(sim, "--out", dir.resolve("c").toString()));
    assertTrue(loud.contains("simulate ["), loud);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
