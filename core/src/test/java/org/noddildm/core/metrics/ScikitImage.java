package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a script under Debian's /usr/bin/python3 with scikit-image. Missing Python or
 * scikit-image skips the calling test locally and fails it in CI ({@code CI=true}), where
 * {@code .ci/run} installs python3-skimage.
 */
final class ScikitImage {
  static final Path PYTHON = Path.of("/usr/bin/python3");

  private ScikitImage() {}

  static void requireAvailable() throws IOException, InterruptedException {
    boolean ok = Files.isExecutable(PYTHON)
        && run("-c", "import skimage.metrics, scipy.ndimage, numpy") == 0;
    if (!ok) {
      String msg = PYTHON + " with scikit-image is not available (apt-get install python3-skimage)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(msg);
      }
      Assumptions.assumeTrue(false, msg);
    }
  }

  /** Runs python with the arguments; returns the exit code, failing the test on a timeout. */
  static int run(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = PYTHON.toString();
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("python timed out: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0 && args.length > 0 && !args[0].equals("-c")) {
      assertEquals(0, p.exitValue(), "python failed:\n" + out);
    }
    return p.exitValue();
  }
}
