package org.noddildm.app.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.MifReader;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Affine;
import picocli.CommandLine.Option;

/**
 * Where a scan's gradient table comes from, one picocli mixin for every command that reads a
 * scan ({@code fit}, {@code predict}, {@code qc-report}): {@code --bval}/{@code --bvec} (FSL),
 * which default to the files beside the DWI; {@code --grad} (an MRtrix table, rows x y z b in
 * scanner coordinates); or, for an MRtrix image ({@code .mif}, {@code .mif.gz}) without them,
 * its own {@code dw_scheme}. MRtrix tables are turned into FSL's image-axis frame with the
 * scan's affine ({@link GradientIO#fromScanner}).
 */
public final class GradientOptions {
  @Option(names = "--bval", paramLabel = "FILE",
      description = "FSL b-values (default: X.bval beside X.nii[.gz]).")
  Path bval;

  @Option(names = "--bvec", paramLabel = "FILE",
      description = "FSL b-vectors (default: X.bvec beside X.nii[.gz]).")
  Path bvec;

  @Option(names = "--grad", paramLabel = "FILE",
      description = "MRtrix gradient table (rows x y z b, scanner coordinates), instead of"
          + " --bval/--bvec; a .mif scan without either uses its own dw_scheme.")
  Path grad;

  /** A scan with its gradient table and the files the table was read from. */
  public record Scan(NiftiImage image, GradientTable table, List<Path> gradientFiles,
      String gradientSource) {}

  /** The b-values and b-vectors files of {@code dwi}: those given, else those beside it. */
  public Path[] resolve(Path dwi) {
    return GradientIO.fslPairFor(dwi, bval, bvec);
  }

  /**
   * The files the gradients of {@code dwi} come from (checked to exist): the FSL pair, the
   * {@code --grad} table, or none for a {@code .mif} with its own {@code dw_scheme}.
   */
  public List<Path> files(Path dwi) {
    BadArgumentException.require(grad == null || (bval == null && bvec == null),
        "--grad/--bval/--bvec: expected an MRtrix table or an FSL pair, found both");
    if (grad != null) {
      if (!Files.isRegularFile(grad)) {
        throw new BadFileException(grad, "expected a gradient table, found no such file");
      }
      return List.of(grad);
    }
    if (MifReader.isMif(dwi) && bval == null && bvec == null) {
      return List.of();
    }
    return List.of(resolve(dwi));
  }

  /** Reads {@code dwi} (NIfTI or MRtrix) and its gradient table (the caller checks counts). */
  public Scan readScan(Path dwi) throws IOException {
    List<Path> files = files(dwi);
    NiftiImage image;
    double[][] scheme = null;
    if (MifReader.isMif(dwi)) {
      MifReader.MifImage m = MifReader.read(dwi);
      image = m.image();
      scheme = m.dwScheme();
    } else {
      image = NiftiReader.read(dwi);
    }
    GradientTable table = table(dwi, files, image.volume().grid().affine(), scheme);
    return new Scan(image, table, files, source(dwi, files));
  }

  /** The gradient table of a scan with this affine and (for a .mif) embedded scheme. */
  public GradientTable table(Path dwi, List<Path> files, Affine affine, double[][] scheme)
      throws IOException {
    if (grad != null) {
      return GradientIO.readMrtrix(grad, affine);
    }
    if (files.isEmpty()) {
      if (scheme == null) {
        throw new BadFileException(dwi, "expected a dw_scheme in the MRtrix header (or --grad,"
            + " --bval/--bvec), found none");
      }
      return GradientIO.fromScanner(scheme, affine, dwi);
    }
    return GradientIO.readFsl(files.get(0), files.get(1));
  }

  /** Where the table came from, for sidecars: file names, or the .mif's dw_scheme. */
  public static String source(Path dwi, List<Path> files) {
    if (files.isEmpty()) {
      return "dw_scheme of " + dwi.getFileName();
    }
    return files.size() == 1 ? "MRtrix table " + files.get(0).getFileName()
        : "FSL " + files.get(0).getFileName() + " and " + files.get(1).getFileName();
  }

  /** The --bval file, or null. */
  public Path bval() {
    return bval;
  }

  /** The --bvec file, or null. */
  public Path bvec() {
    return bvec;
  }
}
