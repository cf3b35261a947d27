package org.noddildm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.noddildm.app.Main;

/** A small BIDS dataset of 4 subjects (one broken) from one simulated 16^3 scan. */
final class SparkTestData {
  private SparkTestData() {}

  static Path dataset(Path tmp) throws Exception {
    Path sim = tmp.resolve("sim");
    assertEquals(0, Main.run("simulate", "--out", sim.toString(), "--subjects", "1", "--seed",
        "5", "--size", "32"));
    Path scan = sim.resolve("sub-0001/dwi_lowres");
    Path bids = tmp.resolve("bids");
    Files.createDirectories(bids);
    Files.writeString(bids.resolve("dataset_description.json"), "{\"Name\": \"test\","
        + " \"BIDSVersion\": \"1.8.0\", \"Authors\": [\"noddi-ldm tests\"]}\n");
    Files.writeString(bids.resolve("dwi.json"), "{\"EchoTime\": 0.08, \"RepetitionTime\": 3.2,"
        + " \"PhaseEncodingDirection\": \"j-\"}\n");
    for (String run : List.of("sub-01/ses-a/dwi/sub-01_ses-a_dwi",
        "sub-01/ses-b/dwi/sub-01_ses-b_acq-short_dwi", "sub-02/dwi/sub-02_run-1_dwi",
        "sub-02/dwi/sub-02_run-2_dwi", "sub-03/dwi/sub-03_dwi", "sub-04/dwi/sub-04_dwi")) {
      Path stem = bids.resolve(run);
      Files.createDirectories(stem.getParent());
      for (String ext : List.of(".nii.gz", ".bval", ".bvec")) {
        Files.copy(Path.of(scan + ext), Path.of(stem + ext));
      }
    }
    Files.writeString(bids.resolve("sub-02/dwi/sub-02_run-2_dwi.json"), "{\"EchoTime\": 0.09}");
    Path bad = bids.resolve("sub-03/dwi/sub-03_dwi.bvec");
    List<String> rows = new ArrayList<>();
    for (String row : Files.readAllLines(bad)) {
      rows.add(row.substring(0, row.lastIndexOf(' ')).strip()); // one column short
    }
    Files.write(bad, rows);
    return bids;
  }
}
