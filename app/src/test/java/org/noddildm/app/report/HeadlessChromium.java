package org.noddildm.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium for the report tests: skipped locally when it is not installed,
 * a failure in CI ({@code CI=true}), where .ci/run installs it. WebGL runs on SwiftShader.
 */
public final class HeadlessChromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  /** What Chromium printed: stdout (e.g. the DOM) and its log (console messages). */
  public record Output(String stdout, List<String> log) {
    /** Console lines that report an error of the page. */
    List<String> consoleErrors() {
      return log.stream().filter(l -> l.contains(":CONSOLE") && (l.contains("Uncaught")
          || l.contains("Error") || l.contains("ERR "))).toList();
    }
  }

  private HeadlessChromium() {}

  public static void assumeInstalled() {
    if (!Files.isExecutable(BINARY)) {
      String msg = BINARY + " is not installed (apt-get install chromium)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg);
      }
      Assumptions.assumeTrue(false, msg);
    }
  }

  /** Loads {@code page} offline, lets its scripts run for up to 10 s of virtual time, and
   * returns the DOM with the console log. */
  public static Output dumpDom(Path work, Path page) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + work.resolve("chromium-profile"), "--enable-logging=stderr",
        "--v=0", "--window-size=1400,1000", "--virtual-time-budget=10000", "--dump-dom",
        page.toUri().toString()));
    Path stdout = work.resolve("chromium.out");
    Path stderr = work.resolve("chromium.err");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium timed out");
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr));
    return new Output(Files.readString(stdout), Files.readAllLines(stderr));
  }
}
