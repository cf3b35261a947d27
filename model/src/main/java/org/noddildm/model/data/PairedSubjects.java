package org.noddildm.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.physics.Anatomy;
import org.noddildm.core.physics.PairedDataset;
import org.noddildm.core.physics.PhantomFiles;
import org.noddildm.core.volume.Volume;

/**
 * Reads the paired dataset layout of {@code noddi simulate}: its subject folders and their
 * ground-truth NODDI maps {@code DIR/sub-XXXX/noddi.nii.gz}, normalised by
 * {@link Normalisation#NODDI}. The low-resolution DWI of a subject is read by
 * {@link DwiCondition}, which turns it into the network's input.
 */
public final class PairedSubjects {
  private PairedSubjects() {}

  /**
   * Refuses a dataset of a held-out anatomy (INIA19): it is for benchmarks only, so no training
   * command may read it.
   */
  public static void requireTrainable(Path dir) throws IOException {
    Anatomy anatomy = PairedDataset.anatomyOf(dir);
    if (anatomy != null && anatomy.heldOut()) {
      throw new BadArgumentException(dir + ": expected a training dataset, found one simulated"
          + " from the held-out anatomy " + anatomy.id() + " (benchmarks only, never train on"
          + " it)");
    }
  }

  /**
   * The subject folders {@code sub-*} of a training dataset, in name order. A dataset of a
   * held-out anatomy (INIA19) is refused: it is for benchmarks only.
   */
  public static List<Path> subjects(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new BadFileException(dir, "expected a dataset directory, found "
          + (Files.exists(dir) ? "a file" : "nothing"));
    }
    requireTrainable(dir);
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> subs = s.filter(p -> Files.isDirectory(p)
          && p.getFileName().toString().startsWith("sub-")).sorted().toList();
      if (subs.isEmpty()) {
        throw new BadFileException(dir, "expected subject folders sub-0001, sub-0002, ..."
            + " (as written by noddi simulate), found none");
      }
      return subs;
    }
  }

  /** One subject's NODDI maps (NDI, ODI, FWF), normalised. */
  public static Volume readNoddi(Path subject) throws IOException {
    Path f = require(subject.resolve(PhantomFiles.MAPS));
    Volume maps = PairedDataset.readFinite(f);
    if (maps.nt() != 3) {
      throw new BadFileException(f, "expected 3 volumes (NDI, ODI, FWF), found " + maps.nt());
    }
    return Normalisation.NODDI.noddi(maps);
  }

  /** All subjects' NODDI maps, normalised. */
  public static List<Volume> readAllNoddi(List<Path> subjects) throws IOException {
    List<Volume> out = new ArrayList<>();
    for (Path s : subjects) {
      out.add(readNoddi(s));
    }
    return out;
  }

  /**
   * Held-out subjects for validation: the last ~10% (at least one) when there are two or more
   * subjects; with a single subject it is used for both (and the report says so).
   */
  public static int validationCount(int subjects) {
    return subjects < 2 ? 0 : Math.max(1, (int) Math.round(subjects * 0.1));
  }

  private static Path require(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new BadFileException(p, "expected this file of the paired dataset layout, found none");
    }
    return p;
  }
}
