package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;

/** A damaged model or checkpoint file gives one line naming it, never a bare exception name. */
class CorruptModelFilesTest {
  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void dataset() {
    data = tmp.resolve("data");
    assertEquals(0, CliRunner.run("simulate", "--out", data.toString(), "--size", "32x32x32",
        "--subjects", "2", "--seed", "3").exitCode());
  }

  private static Path refiner(String name) {
    Path out = tmp.resolve(name);
    assertEquals(0, CliRunner.run("train-refiner", "--data", data.toString(), "--out",
        out.toString(), "--steps", "2", "--width", "4", "--blocks", "1", "--checkpoint-every",
        "2").exitCode());
    return out;
  }

  private static Path inCheckpoint(Path model, String file) throws Exception {
    try (Stream<Path> s = Files.list(model)) {
      Path step = s.filter(p -> p.getFileName().toString().startsWith("step-")).findFirst()
          .orElseThrow();
      return step.resolve(file);
    }
  }

  private static void truncate(Path f) throws Exception {
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, b.length / 2));
  }

  private static void failsWith(String expected, String... args) {
    CliRunner.Result r = CliRunner.run(args);
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains(expected) && r.err().strip().lines().count() == 1
        && !r.err().contains("internal error"), r.err());
  }

  @Test
  void truncatedWeightsAreNamedAsSuch() throws Exception {
    Path m = refiner("weights");
    Path w = inCheckpoint(m, "refiner.params");
    truncate(w);
    failsWith(w.getFileName() + ": expected the weights saved with this model, found a"
        + " truncated or corrupt file", "predict", "--dwi", data.resolve("sub-0001/dwi_lowres"
        + ".nii.gz").toString(), "--model", m.toString(), "--out", tmp.resolve("p/x")
        .toString());
  }

  @Test
  void truncatedOptimizerStateIsNamedOnResume() throws Exception {
    Path m = refiner("adam");
    truncate(inCheckpoint(m, "adam.ndlist"));
    failsWith("adam.ndlist: expected an optimizer state saved by noddi", "train-refiner",
        "--data", data.toString(), "--out", m.toString(), "--steps", "4", "--resume");
  }

  @Test
  void anEmptyModelJsonIsNamedAsEmpty() throws Exception {
    Path m = refiner("json");
    Files.writeString(m.resolve("model.json"), "");
    failsWith("model.json: expected a JSON object with the model's format, found an empty file",
        "predict", "--dwi", data.resolve("sub-0001/dwi_lowres.nii.gz").toString(), "--model",
        m.toString(), "--out", tmp.resolve("q/x").toString());
  }
}
