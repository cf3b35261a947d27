package org.noddildm.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the reference tools (Debian's python3 with nibabel/scikit-image, MRtrix) for cross-checks.
 * Locally a missing tool skips the test; in CI (CI=true), where .ci/run installs them, it fails.
 */
public final class ExternalTools {
  /** Debian's interpreter, which has the python3-* packages (a pyenv python3 may not). */
  public static final String PYTHON = "/usr/bin/python3";

  private ExternalTools() {}

  /** Skips (locally) or fails (CI) unless {@code python3 -c "import module"} works. */
  public static void requirePython(String module) {
    boolean ok;
    try {
      ok = run(List.of(PYTHON, "-c", "import " + module), null).exitCode == 0;
    } catch (IOException e) {
      ok = false;
    }
    require(ok, "python3 module " + module + " (Debian package python3-" + module + ")");
  }

  /** Skips (locally) or fails (CI) unless {@code command} is on the PATH. */
  public static void requireCommand(String command) {
    boolean ok;
    try {
      ok = run(List.of("sh", "-c", "command -v " + command), null).exitCode == 0;
    } catch (IOException e) {
      ok = false;
    }
    require(ok, "command " + command);
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      if ("true".equals(System.getenv("CI"))) {
        fail(what + " is missing; .ci/run should have installed it");
      }
      Assumptions.abort(what + " is not installed here");
    }
  }

  /** Runs a Python script text with arguments; returns stdout, failing the test on exit != 0. */
  public static String python(String script, String... args) throws IOException {
    Path file = Files.createTempFile("noddi-test", ".py");
    try {
      Files.writeString(file, script);
      List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
      cmd.addAll(List.of(args));
      return check(run(cmd, null), cmd);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Runs a command; returns stdout, failing the test on exit != 0. */
  public static String command(String... cmd) throws IOException {
    return check(run(List.of(cmd), null), List.of(cmd));
  }

  private static String check(Result r, List<String> cmd) {
    assertEquals(0, r.exitCode, () -> String.join(" ", cmd) + " failed:\n" + r.err + r.out);
    return r.out;
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result run(List<String> cmd, Path dir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Path out = Files.createTempFile("noddi-out", ".txt");
    Path err = Files.createTempFile("noddi-err", ".txt");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", cmd) + " did not finish in 120 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
