package org.noddildm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell scripts around the jar: the container's BIDS-Apps entry point
 * ({@code container/entrypoint.sh}) and the {@code noddi} launcher's build lock, run with a
 * stand-in {@code java} and {@code mvnw} that record how they were called; shellcheck over
 * both when it is installed.
 */
class ContainerScriptsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path BASH = Path.of("/bin/bash");

  /** A stand-in executable that appends its arguments, one line per call, to {@code log}. */
  private static Path recorder(Path dir, String name, Path log, String extra) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + extra + "echo \"OMP=$OMP_WAIT_POLICY $*\" >> '" + log
        + "'\n");
    assertTrue(p.toFile().setExecutable(true));
    return p;
  }

  private static String run(List<String> cmd, Map<String, String> env, Path dir)
      throws Exception {
    ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    b.environment().putAll(env);
    b.environment().remove("JAVA_OPTS");
    Process p = b.start();
    String text = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), text);
    return text;
  }

  @Test
  void theEntryPointRunsTheBidsAppOfflineWithAHeapFromMemMb(@TempDir Path tmp)
      throws Exception {
    assumeTrue(Files.isExecutable(BASH), "bash is not installed");
    Path log = tmp.resolve("calls.txt");
    Path java = recorder(tmp, "java", log, "");
    Path jar = Files.writeString(tmp.resolve("noddi-all.jar"), "stand-in");
    Map<String, String> env = Map.of("JAVA", java.toString(), "NODDI_JAR", jar.toString());
    String script = ROOT.resolve("container/entrypoint.sh").toString();
    run(List.of(BASH.toString(), script, "/data", "/out", "participant", "--participant_label",
        "01", "--mem-mb", "8000"), env, tmp);
    run(List.of(BASH.toString(), script, "noddi", "predict", "--dwi", "x.nii.gz"), env, tmp);
    run(List.of(BASH.toString(), script, "--version"), env, tmp);
    List<String> calls = Files.readAllLines(log);
    assertEquals("OMP=PASSIVE -Xmx6000m -Dai.djl.offline=true -jar " + jar + " bids /data /out"
        + " participant --participant_label 01 --mem-mb 8000", calls.get(0));
    assertEquals("OMP=PASSIVE -Dai.djl.offline=true -jar " + jar + " predict --dwi x.nii.gz",
        calls.get(1));
    assertEquals("OMP=PASSIVE -Dai.djl.offline=true -jar " + jar + " --version", calls.get(2));
  }

  @Test
  void manyFirstRunsAtOnceBuildTheJarOnce(@TempDir Path tmp) throws Exception {
    assumeTrue(Files.isExecutable(BASH) && Files.isExecutable(Path.of("/usr/bin/flock")),
        "bash or flock is not installed");
    // a checkout with the launcher, sources, and a Maven wrapper that takes a while to build
    Path checkout = tmp.resolve("checkout");
    for (String d : List.of("core/src/main", "app/src/main", "bin")) {
      Files.createDirectories(checkout.resolve(d));
    }
    Files.writeString(checkout.resolve("core/src/main/A.java"), "class A {}");
    Files.copy(ROOT.resolve("noddi"), checkout.resolve("noddi"));
    Path builds = tmp.resolve("builds.txt");
    recorder(checkout, "mvnw", builds, "sleep 1; mkdir -p app/target;"
        + " echo jar > app/target/noddi-all.jar\n");
    Path calls = tmp.resolve("calls.txt");
    recorder(checkout.resolve("bin"), "java", calls, "");
    Map<String, String> env = Map.of("PATH", checkout.resolve("bin") + ":"
        + System.getenv("PATH"));
    List<Process> jobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ProcessBuilder b = new ProcessBuilder(BASH.toString(), checkout.resolve("noddi")
          .toString(), "--version").redirectErrorStream(true).redirectOutput(tmp.resolve(
              "job" + i + ".txt").toFile());
      b.environment().putAll(env);
      jobs.add(b.start());
    }
    for (Process p : jobs) {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
    }
    assertEquals(1, Files.readAllLines(builds).size(), "one build for four jobs");
    assertEquals(4, Files.readAllLines(calls).size(), "every job ran the tool");
  }

  @Test
  void theScriptsPassShellcheck() throws Exception {
    Path shellcheck = Path.of("/usr/bin/shellcheck");
    assumeTrue(Files.isExecutable(shellcheck) || "true".equals(System.getenv("CI")),
        "shellcheck is not installed");
    run(List.of(shellcheck.toString(), ROOT.resolve("container/entrypoint.sh").toString(),
        ROOT.resolve("noddi").toString()), Map.of(), ROOT);
  }
}
