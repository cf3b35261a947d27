package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.app.options.ThreadOptions;
import org.noddildm.core.volume.Parallel;
import org.noddildm.model.bundle.ShippedModel;
import picocli.CommandLine;

/**
 * {@code fit} and {@code predict} refuse to replace an earlier run's outputs unless
 * {@code --force} (MRtrix's habit), and {@code --nthreads} bounds the Java work.
 */
class ForceAndThreadsTest {
  @TempDir
  static Path tmp;
  static Path scan;

  @BeforeAll
  static void simulate() {
    CliRunner.Result r = CliRunner.run("simulate", "--out", tmp.resolve("sim").toString(),
        "--subjects", "1", "--seed", "3", "--size", "24", "--no-progress");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    scan = tmp.resolve("sim/sub-0001/dwi_lowres.nii.gz");
  }

  @Test
  void fitRefusesAnEarlierRunsOutputsUnlessForced() throws Exception {
    String prefix = tmp.resolve("fit/run").toString();
    Files.createDirectories(tmp.resolve("fit"));
    CliRunner.Result first = CliRunner.run("fit", "--dwi", scan.toString(), "--out", prefix,
        "--nthreads", "1", "--no-progress");
    assertEquals(0, first.exitCode(), first.err());
    byte[] ndi = Files.readAllBytes(Path.of(prefix + "_ndi.nii.gz"));
    CliRunner.Result again = CliRunner.run("fit", "--dwi", scan.toString(), "--out", prefix,
        "--no-progress");
    assertEquals(1, again.exitCode(), again.err());
    assertTrue(again.err().contains("expected no existing file, found one") && again.err()
        .contains("--force"), again.err());
    assertEquals(1, again.err().strip().lines().count(), again.err());
    assertArrayEquals(ndi, Files.readAllBytes(Path.of(prefix + "_ndi.nii.gz")));
    CliRunner.Result forced = CliRunner.run("fit", "--dwi", scan.toString(), "--out", prefix,
        "--force", "--no-progress");
    assertEquals(0, forced.exitCode(), forced.err());
  }

  @Test
  void predictRefusesAnEarlierRunsOutputsUnlessForced() throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    String prefix = tmp.resolve("pred").toString();
    String[] args = {"predict", "--dwi", scan.toString(), "--out", prefix, "--method",
        "classic", "--nthreads", "1", "--omp-nthreads", "1", "--no-progress"};
    assertEquals(0, CliRunner.run(args).exitCode());
    CliRunner.Result again = CliRunner.run(args);
    assertEquals(1, again.exitCode(), again.err());
    assertTrue(again.err().contains("pred_ndi.nii.gz: expected no existing file"),
        again.err());
    String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
    forced[args.length] = "--force";
    assertEquals(0, CliRunner.run(forced).exitCode());
  }

  @Test
  void nthreadsBoundsTheThreadsOfTheParallelLoops() throws Exception {
    ThreadOptions one = new ThreadOptions();
    new CommandLine(one).parseArgs("--nthreads", "1");
    ThreadOptions three = new ThreadOptions();
    new CommandLine(three).parseArgs("--nthreads", "3");
    assertEquals(1, threadsUsed(one));
    assertTrue(threadsUsed(three) <= 3);
  }

  /** How many threads a parallel loop of many slow items used inside the options' pool. */
  private static int threadsUsed(ThreadOptions o) throws Exception {
    Set<String> names = ConcurrentHashMap.newKeySet();
    o.run(() -> {
      Parallel.forEach(64, i -> {
        names.add(Thread.currentThread().getName());
        IntStream.range(0, 20_000).map(k -> k * k).sum();
      });
      return null;
    });
    return names.size();
  }
}
