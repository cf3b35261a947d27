package org.noddildm.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;

class PairedSubjectsTest {
  private static Path dataset(Path dir, String phantom) throws Exception {
    Files.createDirectories(dir.resolve("sub-0001"));
    Files.writeString(dir.resolve("dataset.json"), "{\"phantom\": " + phantom + "}");
    return dir;
  }

  @Test
  void aDatasetOfTheHeldOutAnatomyIsRefusedForTraining(@TempDir Path tmp) throws Exception {
    Path held = dataset(tmp.resolve("inia"), "{\"anatomy\": \"inia19\"}");
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> PairedSubjects.subjects(held));
    assertTrue(e.getMessage().contains("held-out anatomy inia19"), e.getMessage());
    assertEquals(1, PairedSubjects.subjects(dataset(tmp.resolve("colin"),
        "{\"anatomy\": \"colin27\"}")).size());
    assertEquals(1, PairedSubjects.subjects(dataset(tmp.resolve("old"), "{}")).size());
  }
}
