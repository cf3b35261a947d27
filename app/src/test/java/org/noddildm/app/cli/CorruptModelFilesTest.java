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
    CliRunner.Result r = CliRunner.run("train-refiner", "--data", data.toString(), "--out",
        out.toString(), "--steps", "2", "--width", "4", "--blocks", "1", "--checkpoint-every",
        "2");
    assertEquals(0, r.exitCode(), r.err());
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

  private static String[] predict(Path model, String out) {
    return new String[] {"predict", "--dwi", data.resolve("sub-0001/dwi_lowres.nii.gz")
        .toString(), "--model", model.toString(), "--out", tmp.resolve(out + "/x").toString()};
  }

  /** model.json without its list of files, as models saved before the list existed. */
  private static void dropManifest(Path model) throws Exception {
    Path j = model.resolve("model.json");
    var o = com.google.gson.JsonParser.parseString(Files.readString(j)).getAsJsonObject();
    o.remove("files");
    Files.writeString(j, o.toString());
  }

  @Test
  void truncatedWeightsAreNamedAsSuch() throws Exception {
    Path m = refiner("weights");
    Path w = inCheckpoint(m, "refiner.params");
    long size = Files.size(w);
    truncate(w);
    failsWith(w.getFileName() + ": expected " + size + " bytes as model.json records, found "
        + size / 2 + " (truncated or replaced)", predict(m, "p"));
    dropManifest(m);
    failsWith(w.getFileName() + ": expected the weights saved with this model, found a"
        + " truncated or corrupt file", predict(m, "p"));
  }

  @Test
  void changedOrMissingWeightsAreNamedAsSuch() throws Exception {
    Path m = refiner("changed");
    Path w = inCheckpoint(m, "refiner.params");
    byte[] b = Files.readAllBytes(w);
    b[b.length - 1] ^= 1; // one bit of the last weight
    Files.write(w, b);
    failsWith(w.getFileName() + ": expected SHA-256 ", predict(m, "c"));
    failsWith("(changed or damaged); export, copy or download the model again", predict(m, "c"));
    Files.delete(w);
    failsWith(w.getFileName() + ": expected a file of the model (" + b.length + " bytes), found"
        + " none", predict(m, "c"));
  }

  @Test
  void truncatedOptimizerStateIsNamedOnResume() throws Exception {
    Path m = refiner("adam");
    truncate(inCheckpoint(m, "adam.ndlist"));
    String[] resume = {"train-refiner", "--data", data.toString(), "--out", m.toString(),
        "--steps", "4", "--resume"};
    failsWith("adam.ndlist: expected ", resume);
    failsWith("bytes as model.json records", resume);
    dropManifest(m);
    failsWith("adam.ndlist: expected an optimizer state saved by noddi", resume);
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
