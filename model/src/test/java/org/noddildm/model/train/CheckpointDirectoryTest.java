package org.noddildm.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;

class CheckpointDirectoryTest {

  private static JsonObject json() {
    JsonObject j = new JsonObject();
    j.addProperty("format", "test/1");
    return j;
  }

  private static List<String> names(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSaveThatFailsRemovesItsPartialFolderAndKeepsThePreviousCheckpoint(@TempDir Path dir)
      throws Exception {
    CheckpointDirectory.saveStep(dir, 10, f -> Files.writeString(f.resolve("w.params"), "ten"),
        json());
    IOException full = assertThrows(IOException.class, () -> CheckpointDirectory.saveStep(dir, 20,
        f -> {
          Files.writeString(f.resolve("w.params"), "twenty, half written");
          throw new IOException("No space left on device");
        }, json()));
    assertEquals("No space left on device", full.getMessage());
    assertEquals(List.of("model.json", "step-0000010"), names(dir));
    JsonObject j = CheckpointDirectory.readJson(dir, "test/1");
    Path step = CheckpointDirectory.checkpoint(dir, j);
    assertEquals("ten", Files.readString(step.resolve("w.params")));
  }

  @Test
  void modelJsonRecordsEachFileAndLoadingChecksIt(@TempDir Path dir) throws Exception {
    CheckpointDirectory.saveStep(dir, 3, f -> {
      Files.writeString(f.resolve("a.params"), "abc");
      Files.writeString(f.resolve("b.ndlist"), "de");
    }, json());
    JsonObject j = CheckpointDirectory.readJson(dir, "test/1");
    JsonObject files = j.getAsJsonObject("files");
    assertEquals(List.of("a.params", "b.ndlist"), List.copyOf(files.keySet()));
    assertEquals(3, files.getAsJsonObject("a.params").get("bytes").getAsLong());
    // SHA-256 of "abc", the FIPS 180-2 test vector
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        files.getAsJsonObject("a.params").get("sha256").getAsString());
    Path b = dir.resolve("step-0000003/b.ndlist");
    Files.writeString(b, "dx");
    BadFileException e = assertThrows(BadFileException.class,
        () -> CheckpointDirectory.checkpoint(dir, j));
    assertTrue(e.getMessage().contains("b.ndlist") && e.getMessage().contains("SHA-256"),
        e.getMessage());
  }
}
