package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputSetTest {
  private static List<String> names(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void commitMovesEveryFileIntoPlaceAndLeavesNoTemporary(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.txt"), "old a");
    try (OutputSet out = OutputSet.begin(s -> { })) {
      AtomicFiles.writeString(out.stage(dir.resolve("a.txt")), "new a");
      AtomicFiles.writeString(out.stage(dir.resolve("sub/b.txt")), "new b");
      assertEquals("old a", Files.readString(dir.resolve("a.txt")), "nothing moves before");
      out.commit();
    }
    assertEquals("new a", Files.readString(dir.resolve("a.txt")));
    assertEquals("new b", Files.readString(dir.resolve("sub/b.txt")));
    assertEquals(List.of("a.txt", "sub"), names(dir));
    assertEquals(List.of("b.txt"), names(dir.resolve("sub")));
  }

  @Test
  void aRunThatFailsBeforeTheCommitLeavesAllOldFilesAndNoTemporary(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("ndi.txt"), "old ndi");
    Files.writeString(dir.resolve("fwf.txt"), "old fwf");
    assertThrows(java.io.IOException.class, () -> {
      try (OutputSet out = OutputSet.begin(s -> { })) {
        AtomicFiles.writeString(out.stage(dir.resolve("ndi.txt")), "new ndi");
        out.stage(dir.resolve("fwf.txt"));
        throw new java.io.IOException("No space left on device"); // as a full disk would
      }
    });
    assertEquals("old ndi", Files.readString(dir.resolve("ndi.txt")));
    assertEquals("old fwf", Files.readString(dir.resolve("fwf.txt")));
    assertEquals(List.of("fwf.txt", "ndi.txt"), names(dir));
  }

  @Test
  void aStagedFileThatWasNeverWrittenStopsTheCommitBeforeAnythingMoves(@TempDir Path dir)
      throws Exception {
    try (OutputSet out = OutputSet.begin(s -> { })) {
      AtomicFiles.writeString(out.stage(dir.resolve("a.txt")), "a");
      out.stage(dir.resolve("b.txt"));
      assertThrows(IllegalStateException.class, out::commit);
    }
    assertEquals(List.of(), names(dir));
  }

  @Test
  void temporariesOfKilledRunsAreRemovedAndReportedButNotThoseOfLiveOnes(@TempDir Path dir)
      throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long dead = p.pid();
    Path deadFolder = Files.createDirectory(dir.resolve(".noddi-" + dead + "-abc.tmp"));
    Files.writeString(deadFolder.resolve("ndi.nii.gz"), "x");
    Path deadPart = Files.writeString(dir.resolve(".map.nii.gz." + dead + "-q1.part"), "x");
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path livePart = Files.writeString(dir.resolve(".map.nii.gz." + live + "-q2.part"), "x");
    Path notOurs = Files.writeString(dir.resolve(".hidden.part"), "x");
    List<String> log = new ArrayList<>();
    try (OutputSet out = OutputSet.begin(log::add)) {
      AtomicFiles.writeString(out.stage(dir.resolve("a.txt")), "a");
      out.commit();
    }
    assertFalse(Files.exists(deadFolder));
    assertFalse(Files.exists(deadPart));
    assertTrue(Files.exists(livePart));
    assertTrue(Files.exists(notOurs));
    assertEquals(2, log.size(), log.toString());
    assertTrue(log.get(0).contains("left by a run that was killed"), log.get(0));
  }

  @Test
  void temporariesAreRegisteredForTheShutdownHookUntilMovedOrRemoved(@TempDir Path dir)
      throws Exception {
    Path part = AtomicFiles.newTempFile(dir.resolve("x.nii"));
    assertTrue(TempFiles.isRegistered(part));
    AtomicFiles.moveIntoPlace(part, dir.resolve("x.nii"));
    assertFalse(TempFiles.isRegistered(part));
    Path other = AtomicFiles.newTempFile(dir.resolve("y.nii"));
    AtomicFiles.discard(other);
    assertFalse(TempFiles.isRegistered(other));
    assertFalse(Files.exists(other));
  }
}
