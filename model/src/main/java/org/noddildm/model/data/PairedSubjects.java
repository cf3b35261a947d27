package org.noddildm.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.GradientTable;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Volume;

/**
 * Reads autoencoder training volumes from the paired dataset layout of {@code noddi simulate}:
 * {@code DIR/sub-XXXX/noddi.nii.gz} (target noddi) or {@code DIR/sub-XXXX/dwi_lowres.nii.gz}
 * with {@code .bval}/{@code .bvec} (target dwi), normalised by {@link Normalisation}.
 */
public final class PairedSubjects {
  private PairedSubjects() {}

  /** The subject folders {@code sub-*} of a dataset, in name order. */
  public static List<Path> subjects(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new BadFileException(dir, "expected a dataset directory, found "
          + (Files.exists(dir) ? "a file" : "nothing"));
    }
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

  /** One subject's normalised volume for {@code target}. */
  public static Volume read(Path subject, Target target, Normalisation norm) throws IOException {
    if (target == Target.NODDI) {
      Path f = require(subject.resolve("noddi.nii.gz"));
      Volume maps = NiftiReader.read(f).volume();
      if (maps.nt() != 3) {
        throw new BadFileException(f, "expected 3 volumes (NDI, ODI, FWF), found " + maps.nt());
      }
      return norm.noddi(maps);
    }
    Path f = require(subject.resolve("dwi_lowres.nii.gz"));
    GradientTable table = GradientIO.readFsl(require(subject.resolve("dwi_lowres.bval")),
        require(subject.resolve("dwi_lowres.bvec")));
    return norm.dwi(NiftiReader.read(f).volume(), table);
  }

  /** All subjects' volumes; they must agree in channel count. */
  public static List<Volume> readAll(List<Path> subjects, Target target, Normalisation norm)
      throws IOException {
    List<Volume> out = new ArrayList<>();
    for (Path s : subjects) {
      Volume v = read(s, target, norm);
      if (!out.isEmpty() && v.nt() != out.get(0).nt()) {
        throw new BadFileException(s, "expected " + out.get(0).nt() + " volumes like "
            + subjects.get(0).getFileName() + ", found " + v.nt());
      }
      out.add(v);
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
