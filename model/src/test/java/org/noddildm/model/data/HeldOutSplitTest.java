package org.noddildm.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.physics.phantom.PhantomFiles;

class HeldOutSplitTest {
  /** A dataset.json listing {@code n} subjects, each with empty stand-ins for its files. */
  private static Path dataset(Path dir, int n, int factor, String anatomy) throws Exception {
    List<String> names = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      String s = String.format("sub-%04d", k);
      names.add("\"" + s + "\"");
      Path sub = Files.createDirectories(dir.resolve(s));
      for (String f : new String[] {PhantomFiles.MAPS, PhantomFiles.MASK, PairedDataset.DWI,
          PairedDataset.BVAL, PairedDataset.BVEC, PairedDataset.MASK_LOWRES}) {
        Files.writeString(sub.resolve(f), "");
      }
    }
    Files.writeString(dir.resolve(PairedDataset.JSON), "{\"format\": \"" + PairedDataset.FORMAT
        + "\", \"seed\": 3, \"phantom\": {\"anatomy\": \"" + anatomy + "\"}, \"degradation\":"
        + " {\"factor\": " + factor + "}, \"subjects\": [" + String.join(", ", names) + "]}");
    return dir;
  }

  @Test
  void theLastSubjectsOfEachDatasetAreHeldOut(@TempDir Path tmp) throws Exception {
    Path a = dataset(tmp.resolve("a"), 5, 2, "procedural");
    Path b = dataset(tmp.resolve("b"), 3, 2, "colin27");
    HeldOutSplit<String> split = HeldOutSplit.of(List.of(a, b), 2, 0, null,
        (d, s) -> d.dir().getFileName() + "/" + s);
    assertEquals(List.of("a/sub-0001", "a/sub-0002", "a/sub-0003", "b/sub-0001"), split.train());
    assertEquals(List.of("a/sub-0004", "a/sub-0005", "b/sub-0002", "b/sub-0003"),
        split.validation());
    assertEquals(2, split.factor());
    assertEquals(3, split.datasets().get(0).getAsJsonObject().get("trainSubjects").getAsInt());
  }

  @Test
  void theSingleDatasetCommandsHoldOutTheLastTenth(@TempDir Path tmp) throws Exception {
    assertEquals(3, HeldOutSplit.lastTenth(dataset(tmp.resolve("a"), 25, 2, "procedural"),
        (d, s) -> s).validation().size());
    assertEquals(1, HeldOutSplit.lastTenth(dataset(tmp.resolve("b"), 4, 2, "procedural"),
        (d, s) -> s).validation().size());
    HeldOutSplit<String> one = HeldOutSplit.lastTenth(dataset(tmp.resolve("c"), 1, 2,
        "procedural"), (d, s) -> s);
    assertEquals(List.of(), one.validation());
    assertEquals(List.of("sub-0001"), one.validationOrTrain(), "validates on its one subject");
  }

  @Test
  void heldOutAnatomyAndMixedFactorsAreRefused(@TempDir Path tmp) throws Exception {
    Path inia = dataset(tmp.resolve("inia"), 2, 2, "inia19");
    BadArgumentException e = assertThrows(BadArgumentException.class,
        () -> HeldOutSplit.lastTenth(inia, (d, s) -> s));
    assertTrue(e.getMessage().contains("held-out anatomy inia19"), e.getMessage());
    Path two = dataset(tmp.resolve("two"), 2, 2, "procedural");
    Path four = dataset(tmp.resolve("four"), 2, 4, "procedural");
    e = assertThrows(BadArgumentException.class,
        () -> HeldOutSplit.of(List.of(two, four), 1, 0, null, (d, s) -> s));
    assertTrue(e.getMessage().contains("expected one degradation factor, found 2 and 4"),
        e.getMessage());
  }
}
