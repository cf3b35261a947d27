package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;

/**
 * A run of {@code noddi fit} stopped by SIGTERM (as by a cluster's scheduler or Ctrl-C) or killed
 * outright leaves the outputs of the run before, all of them, and after SIGTERM no temporary;
 * what SIGKILL leaves is removed by the next run, which says so.
 */
class InterruptedRunTest {
  private static Process fit(Path dwi, Path prefix, Path log) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-cp", System.getProperty("java.class.path"),
        "org.noddildm.app.Main", "fit", "--dwi", dwi.toString(), "--out", prefix.toString(),
        "--no-progress", "--force")); // replaces the first run's outputs on purpose
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
        .start();
  }

  /** Waits until the run has staged its first output (its temporary folder exists). */
  private static Path awaitTemporary(Path dir, Process p) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until && p.isAlive()) {
      try (var s = Files.list(dir)) {
        var t = s.filter(q -> q.getFileName().toString().startsWith(".noddi-")).findFirst();
        if (t.isPresent()) {
          return t.get();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the fit made no temporary folder while it ran");
  }

  private static List<String> hidden(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(q -> q.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  @Test
  void sigtermAndSigkillLeaveTheOldOutputsAndTheNextRunCleansUp(@TempDir Path tmp)
      throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "48x48x48",
        "--subjects", "1", "--seed", "5").exitCode());
    Path dwi = data.resolve("sub-0001/dwi_lowres.nii.gz");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Path prefix = out.resolve("s");
    CliRunner.Result first = CliRunner.run("fit", "--dwi", dwi.toString(), "--out",
        prefix.toString(), "--no-progress");
    assertEquals(0, first.exitCode(), first.err());
    List<Path> outputs = List.of(out.resolve("s_ndi.nii.gz"), out.resolve("s_odi.nii.gz"),
        out.resolve("s_fwf.nii.gz"), out.resolve("s_mask.nii.gz"), out.resolve("s_fit.json"));
    List<byte[]> before = new ArrayList<>();
    for (Path p : outputs) {
      before.add(Files.readAllBytes(p));
    }

    Process term = fit(dwi, prefix, tmp.resolve("term.log"));
    awaitTemporary(out, term);
    term.destroy(); // SIGTERM
    assertTrue(term.waitFor(60, TimeUnit.SECONDS));
    assertEquals(List.of(), hidden(out), "temporaries after SIGTERM");
    for (int i = 0; i < outputs.size(); i++) {
      assertArrayEquals(before.get(i), Files.readAllBytes(outputs.get(i)), outputs.get(i)
          + " changed");
    }

    Process kill = fit(dwi, prefix, tmp.resolve("kill.log"));
    Path left = awaitTemporary(out, kill);
    kill.destroyForcibly(); // SIGKILL: no hook runs
    assertTrue(kill.waitFor(60, TimeUnit.SECONDS));
    assertTrue(Files.exists(left), "SIGKILL leaves its temporary folder");
    for (int i = 0; i < outputs.size(); i++) {
      assertArrayEquals(before.get(i), Files.readAllBytes(outputs.get(i)));
    }

    CliRunner.Result next = CliRunner.run("fit", "--dwi", dwi.toString(), "--out",
        prefix.toString(), "--no-progress", "--force");
    assertEquals(0, next.exitCode(), next.err());
    assertTrue(next.err().contains("removed " + left + ", a temporary left by a run that was"
        + " killed (process " + kill.pid() + ")"), next.err());
    assertEquals(List.of(), hidden(out));
  }
}
