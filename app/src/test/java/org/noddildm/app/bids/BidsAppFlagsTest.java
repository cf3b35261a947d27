package org.noddildm.app.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;

/**
 * The flags that BIDS-Apps wrappers (BABS, Brainlife, CBRAIN, Slurm scripts) send: the
 * underscore spellings, validation of the input and its skip, a work folder, thread and memory
 * limits. On a one-subject dataset with the classic pipeline.
 */
class BidsAppFlagsTest {
  @TempDir
  static Path tmp;
  static Path bids;

  @BeforeAll
  static void makeDataset() throws Exception {
    bids = BidsFixtures.raw(tmp.resolve("bids"), BidsFixtures.scan(tmp),
        List.of("sub-01/dwi/sub-01_dwi"));
  }

  @AfterEach
  void noForcedValidator() {
    System.clearProperty(BidsValidation.PROPERTY);
  }

  @Test
  void theUnderscoreSpellingsThreadsMemoryAndWorkDirAreAccepted() throws Exception {
    Path out = tmp.resolve("out-flags");
    Path work = tmp.resolve("scratch");
    CliRunner.Result r = CliRunner.run("bids", bids.toString(), out.toString(), "participant",
        "--participant_label", "01", "--method", "classic", "--nthreads", "1",
        "--omp-nthreads", "1", "--mem-mb", "4000", "-w", work.toString(),
        "--skip_bids_validation", "--no-progress");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("validation skipped"), r.out());
    assertTrue(Files.isDirectory(out.resolve("sub-01/dwi")));
    assertFalse(Files.exists(out.resolve(ParticipantRunner.WORK)), "scratch went to --work-dir");
    Path scratch = work.resolve(BidsCommand.WORK_SUBDIR);
    assertTrue(Files.isDirectory(scratch));
    try (Stream<Path> s = Files.list(scratch)) {
      assertEquals(0, s.count(), "the work folder is emptied after the subject");
    }
  }

  @Test
  void bothMemoryFlagsOrAWorkDirInsideTheInputAreOneClearLine() {
    CliRunner.Result both = CliRunner.run("bids", bids.toString(), tmp.resolve("o1").toString(),
        "participant", "--mem-gb", "8", "--mem", "8000");
    assertEquals(1, both.exitCode());
    assertTrue(both.err().contains("--mem-gb/--mem-mb: expected one of them, found both"),
        both.err());
    CliRunner.Result inside = CliRunner.run("bids", bids.toString(), tmp.resolve("o2")
        .toString(), "participant", "--work-dir", bids.resolve("sub-01").toString());
    assertEquals(1, inside.exitCode());
    assertTrue(inside.err().contains("--work-dir") && inside.err().contains("expected a folder"
        + " outside BIDS_DIR"), inside.err());
    assertEquals(1, inside.err().strip().lines().count(), inside.err());
    CliRunner.Result threads = CliRunner.run("bids", bids.toString(), tmp.resolve("o3")
        .toString(), "participant", "--nthreads", "0");
    assertEquals(1, threads.exitCode());
    assertTrue(threads.err().contains("--nthreads: expected >= 1, found 0"), threads.err());
  }

  @Test
  void aDatasetTheValidatorRejectsStopsBeforeAnyOutput() throws Exception {
    Path fake = tmp.resolve("fake-validator");
    Files.writeString(fake, "#!/bin/sh\necho '\t1: [ERR] Files with such naming scheme are not"
        + " part of BIDS specification. (code: 1 - NOT_INCLUDED)'\nexit 1\n");
    assumeTrue(fake.toFile().setExecutable(true), "cannot make a script executable here");
    System.setProperty(BidsValidation.PROPERTY, fake.toString());
    Path out = tmp.resolve("out-invalid");
    CliRunner.Result r = CliRunner.run("bids", bids.toString(), out.toString(), "participant",
        "--method", "classic");
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("expected a valid BIDS dataset, found errors by fake-validator:"
        + " 1: [ERR] Files with such naming scheme") && r.err().contains(
            "--skip-bids-validation"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(out.resolve("sub-01")), "nothing made from an invalid dataset");
  }

  @Test
  void withoutAValidatorTheRunSaysSoInOneLineAndGoesOn() {
    System.setProperty(BidsValidation.PROPERTY, "none");
    Path out = tmp.resolve("out-none");
    CliRunner.Result r = CliRunner.run("bids", bids.toString(), out.toString(), "participant",
        "--method", "classic", "--no-progress");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertEquals(1, r.out().lines().filter(l -> l.contains("no BIDS validator found")).count(),
        r.out());
    assertTrue(Files.isDirectory(out.resolve("sub-01")));
  }

  @Test
  void withoutTheNpmValidatorDebiansChecksTheFileNames() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/bids_validator"))
        || "true".equals(System.getenv("CI")), "python3-bids-validator is not installed");
    System.setProperty(BidsValidation.PROPERTY, "python");
    assertTrue(BidsValidation.validate(bids).contains("python3-bids-validator"));
    Path odd = BidsFixtures.raw(tmp.resolve("odd"), BidsFixtures.scan(tmp.resolve("oddsim")),
        List.of("sub-01/dwi/sub-01_dwi"));
    Files.writeString(odd.resolve("sub-01/dwi/notes.txt"), "not a BIDS file");
    CliRunner.Result r = CliRunner.run("bids", odd.toString(), tmp.resolve("out-odd")
        .toString(), "participant", "--method", "classic");
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("expected BIDS file names, found 1 that are not, e.g."
        + " /sub-01/dwi/notes.txt"), r.err());
    assertFalse(Files.exists(tmp.resolve("out-odd/sub-01")));
  }

  @Test
  void theRealValidatorAcceptsTheTestDataset() throws Exception {
    assumeTrue(BidsValidation.onPath("bids-validator") != null || "true".equals(
        System.getenv("CI")), "bids-validator (npm) is not installed");
    assertTrue(BidsValidation.onPath("bids-validator") != null, "bids-validator is missing;"
        + " .ci/run should have installed it");
    String said = BidsValidation.validate(bids);
    assertTrue(said.startsWith("BIDS_DIR is valid BIDS"), said);
  }
}
