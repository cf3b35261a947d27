package org.noddildm.app.validate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.noddildm.app.bids.BidsLayout;
import org.noddildm.app.bids.DwiRun;
import org.noddildm.app.options.GradientOptions;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.physics.dataset.ScanPairs;
import org.noddildm.core.provenance.Sha256;
import org.noddildm.core.volume.Volume;

/**
 * The high-resolution scans that {@code validate} and {@code finetune} read: every dwi run of a
 * BIDS dataset, or single files with their FSL gradients. Each has a name for reports (the BIDS
 * prefix, or the file name without .nii/.nii.gz).
 *
 * @param id the scan's name
 * @param dwi the image file
 * @param bval its b-values, or null when the command's gradient options say (single files)
 * @param bvec its b-vectors, or null likewise
 */
public record ScanInputs(String id, Path dwi, Path bval, Path bvec) {
  /** The scans of {@code bidsDir} (participants may be empty: all) or of {@code dwis}. */
  public static List<ScanInputs> find(Path bidsDir, List<String> participants, List<Path> dwis,
      Path bval, Path bvec) throws IOException {
    BadArgumentException.require((bidsDir == null) != dwis.isEmpty(), "expected a BIDS_DIR or"
        + " --dwi files, found " + (bidsDir == null ? "neither" : "both"));
    BadArgumentException.require(dwis.size() <= 1 || (bval == null && bvec == null),
        "--bval/--bvec/--grad: expected them with a single --dwi, found " + dwis.size()
            + " scans");
    List<ScanInputs> list = new ArrayList<>();
    if (bidsDir != null) {
      for (DwiRun r : BidsLayout.find(bidsDir, participants == null ? List.of() : participants,
          List.of())) {
        list.add(new ScanInputs(r.prefix(), r.dwi(), r.bval(), r.bvec()));
      }
      BadArgumentException.require(!list.isEmpty(), "BIDS_DIR " + bidsDir + ": expected dwi"
          + " runs, found none");
    } else {
      for (Path d : dwis) {
        if (!Files.isRegularFile(d)) {
          throw new BadFileException(d, "expected an input file, found none");
        }
        // the command reads the gradients (FSL beside it, --bval/--bvec, --grad or a .mif's own)
        list.add(new ScanInputs(baseName(d), d, null, null));
      }
      // files of the same name in different folders are told apart by their folder
      List<ScanInputs> named = new ArrayList<>();
      for (ScanInputs s : list) {
        boolean clash = list.stream().filter(o -> o.id().equals(s.id())).count() > 1;
        Path parent = s.dwi().toAbsolutePath().getParent();
        named.add(clash && parent != null && parent.getFileName() != null ? new ScanInputs(
            parent.getFileName() + "_" + s.id(), s.dwi(), s.bval(), s.bvec()) : s);
      }
      list = named;
    }
    Set<String> ids = new HashSet<>();
    for (ScanInputs s : list) {
      BadArgumentException.require(ids.add(s.id()), "scans: expected distinct names, found "
          + s.id() + " twice");
    }
    return list;
  }

  private static String baseName(Path dwi) {
    return dwi.getFileName().toString().replaceAll("\\.nii(\\.gz)?$", "");
  }

  /** Every input file, for the check that no output overwrites one. */
  public static List<Path> files(List<ScanInputs> scans) {
    List<Path> out = new ArrayList<>();
    for (ScanInputs s : scans) {
      for (Path p : new Path[] {s.dwi(), s.bval(), s.bvec()}) {
        if (p != null) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /** The FSL gradient table of a BIDS run (its bval/bvec are set). */
  public GradientTable table() throws IOException {
    return GradientIO.readFsl(bval, bvec);
  }

  /** The scan loaded for {@link ScanPairs}, with the SHA-256 of its image file. */
  public ScanPairs.Scan load(Volume image, GradientTable t, Volume mask) throws IOException {
    return new ScanPairs.Scan(id, image, t, mask, Sha256.hex(dwi));
  }

  /**
   * The image and gradient table of one scan of {@code validate} or {@code finetune}: a BIDS
   * run's FSL pair, else as {@link GradientOptions#readScan} (these options, the files beside it, or a .mif's
   * own scheme); the volume count is checked against the table.
   */
  public GradientOptions.Scan read(GradientOptions g) throws IOException {
    GradientOptions.Scan scan;
    if (bval() != null) {
      GradientTable t = table();
      scan = new GradientOptions.Scan(NiftiReader.read(dwi()), t, List.of(bval(), bvec()),
          GradientOptions.source(dwi(), List.of(bval(), bvec())));
    } else {
      scan = g.readScan(dwi());
    }
    if (scan.image().volume().nt() != scan.table().size()) {
      throw new BadFileException(dwi(), "expected " + scan.table().size() + " volumes (one"
          + " per gradient table entry), found " + scan.image().volume().nt());
    }
    return scan;
  }
}
