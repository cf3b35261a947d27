package org.noddildm.app.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.noddildm.app.CliRunner;

/** Tiny BIDS datasets for the BIDS App's tests, made from one simulated 12^3 scan. */
final class BidsFixtures {
  private BidsFixtures() {}

  /** A simulated low-resolution scan (12^3, 2 shells): the stem of its .nii.gz/.bval/.bvec. */
  static Path scan(Path tmp) {
    Path sim = tmp.resolve("sim");
    CliRunner.Result r = CliRunner.run("simulate", "--out", sim.toString(), "--subjects", "1",
        "--seed", "7", "--size", "24", "--no-progress");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    return sim.resolve("sub-0001/dwi_lowres");
  }

  /** A raw BIDS dataset at {@code root} with one run per stem, e.g. sub-01/dwi/sub-01_dwi. */
  static Path raw(Path root, Path scan, List<String> stems) throws Exception {
    Files.createDirectories(root);
    Files.writeString(root.resolve("dataset_description.json"), "{\"Name\": \"test\","
        + " \"BIDSVersion\": \"1.8.0\", \"Authors\": [\"noddi-ldm tests\"]}\n");
    Files.writeString(root.resolve("README"), "A dataset of noddi-ldm's tests.\n");
    for (String stem : stems) {
      copyScan(scan, root.resolve(stem));
    }
    return root;
  }

  /** The scan's three files at {@code stem}.nii.gz, .bval and .bvec. */
  static void copyScan(Path scan, Path stem) throws Exception {
    Files.createDirectories(stem.getParent());
    Files.copy(Path.of(scan + ".nii.gz"), Path.of(stem + ".nii.gz"));
    Files.copy(Path.of(scan + ".bval"), Path.of(stem + ".bval"));
    Files.copy(Path.of(scan + ".bvec"), Path.of(stem + ".bvec"));
  }
}
