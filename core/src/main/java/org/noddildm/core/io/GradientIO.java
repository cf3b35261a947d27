package org.noddildm.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.volume.Affine;

/**
 * Reads and writes gradient tables: FSL {@code bval}/{@code bvec} (bvec as 3 rows, or 3 columns)
 * and MRtrix {@code -grad} tables (one "x y z b" row per volume, {@code #} comments).
 */
public final class GradientIO {
  private GradientIO() {}

  /** Reads an FSL pair with the default b0 threshold and shell tolerance. */
  public static GradientTable readFsl(Path bval, Path bvec) throws IOException {
    double[][] b = readNumbers(bval, false);
    double[] bvals = flatten(b, bval);
    for (int i = 0; i < bvals.length; i++) {
      if (bvals[i] < 0) {
        // GradientTable would say so too, but against the bvec file below
        throw new BadFileException(bval, "b-value " + i + ": expected a value >= 0, found "
            + bvals[i]);
      }
    }
    // NaN directions occur on b0 rows of real tables; GradientTable accepts them only there.
    double[][] v = readNumbers(bvec, true);
    double[][] dirs = toDirections(v, bvals.length, bvec);
    try {
      return GradientTable.of(bvals, dirs);
    } catch (BadArgumentException e) {
      throw new BadFileException(bvec, e.getMessage());
    }
  }

  /**
   * The FSL table files of a DWI: the given ones, or, when both are null, {@code X.bval} and
   * {@code X.bvec} beside {@code X.nii} or {@code X.nii.gz}, as FSL and BIDS keep them. One
   * clear error when they are not there or only one is given.
   */
  public static Path[] fslPairFor(Path dwi, Path bval, Path bvec) {
    if (bval != null && bvec != null) {
      return new Path[] {bval, bvec};
    }
    if (bval != null || bvec != null) {
      throw new BadArgumentException("gradient files: expected both the b-values and the"
          + " b-vectors or neither, found only the " + (bval != null ? "b-values (" + bval + ")"
              : "b-vectors (" + bvec + ")"));
    }
    String name = dwi.getFileName().toString();
    String stem = name.endsWith(".nii.gz") ? name.substring(0, name.length() - 7)
        : name.endsWith(".nii") ? name.substring(0, name.length() - 4) : name;
    Path b = dwi.resolveSibling(stem + ".bval");
    Path v = dwi.resolveSibling(stem + ".bvec");
    if (!java.nio.file.Files.isRegularFile(b) || !java.nio.file.Files.isRegularFile(v)) {
      throw new BadFileException(dwi, "expected b-value and b-vector files, given or "
          + b.getFileName() + " and " + v.getFileName() + " beside it, found "
          + (java.nio.file.Files.isRegularFile(b) ? "no " + v.getFileName()
              : java.nio.file.Files.isRegularFile(v) ? "no " + b.getFileName() : "neither"));
    }
    return new Path[] {b, v};
  }

  /** Reads an MRtrix gradient table: rows of "x y z b". */
  public static GradientTable readMrtrix(Path table) throws IOException {
    double[][] rows = readNumbers(table, false);
    double[] bvals = new double[rows.length];
    double[][] dirs = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != 4) {
        throw new BadFileException(table, "line " + (i + 1) + ": expected 4 numbers (x y z b),"
            + " found " + rows[i].length);
      }
      dirs[i] = new double[] {rows[i][0], rows[i][1], rows[i][2]};
      bvals[i] = rows[i][3];
    }
    try {
      return GradientTable.of(bvals, dirs);
    } catch (BadArgumentException e) {
      throw new BadFileException(table, e.getMessage());
    }
  }

  /**
   * A gradient table in scanner coordinates (MRtrix's {@code dw_scheme} or {@code -grad} file:
   * rows gx, gy, gz, b) in the image-axis frame of FSL's bvecs, which this project uses: each
   * direction is turned by the transpose of the affine's rotation (its linear part with unit
   * columns), and its first component negated when the affine's determinant is positive, as FSL
   * stores bvecs of a neurological image (and as MRtrix exports them).
   */
  public static GradientTable fromScanner(double[][] rows, Affine affine, Path source) {
    double[] vox = affine.voxelSizes();
    boolean flipX = affine.determinant() > 0;
    double[] bvals = new double[rows.length];
    double[][] dirs = new double[rows.length][3];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != 4) {
        throw new BadFileException(source, "gradient row " + (i + 1) + ": expected 4 numbers"
            + " (x y z b), found " + rows[i].length);
      }
      for (int c = 0; c < 3; c++) {
        double s = 0;
        for (int r = 0; r < 3; r++) {
          s += affine.get(r, c) / vox[c] * rows[i][r];
        }
        dirs[i][c] = s;
      }
      if (flipX) {
        dirs[i][0] = -dirs[i][0];
      }
      bvals[i] = rows[i][3];
    }
    try {
      return GradientTable.of(bvals, dirs);
    } catch (BadArgumentException e) {
      throw new BadFileException(source, e.getMessage());
    }
  }

  /** An MRtrix gradient file ({@code -grad}: rows x y z b, scanner frame) for this image. */
  public static GradientTable readMrtrix(Path table, Affine affine) throws IOException {
    return fromScanner(readNumbers(table, false), affine, table);
  }

  /** Writes an FSL pair: one row of b-values, three rows of vector components. */
  public static void writeFsl(GradientTable g, Path bval, Path bvec) throws IOException {
    StringBuilder b = new StringBuilder();
    StringBuilder[] rows = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
    for (int i = 0; i < g.size(); i++) {
      String sep = i == 0 ? "" : " ";
      b.append(sep).append(format(g.bval(i)));
      double[] v = g.bvec(i);
      for (int r = 0; r < 3; r++) {
        rows[r].append(sep).append(String.format(Locale.ROOT, "%.8f", v[r]));
      }
    }
    AtomicFiles.writeString(bval, b.append('\n').toString());
    AtomicFiles.writeString(bvec, rows[0] + "\n" + rows[1] + "\n" + rows[2] + "\n");
  }

  /** Writes an MRtrix table: "x y z b" per line. */
  public static void writeMrtrix(GradientTable g, Path table) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < g.size(); i++) {
      double[] v = g.bvec(i);
      sb.append(String.format(Locale.ROOT, "%.8f %.8f %.8f %s%n", v[0], v[1], v[2],
          format(g.bval(i))));
    }
    AtomicFiles.writeString(table, sb.toString());
  }

  private static String format(double b) {
    return b == Math.rint(b) ? String.valueOf((long) b) : String.format(Locale.ROOT, "%.4f", b);
  }

  private static double[] flatten(double[][] rows, Path file) {
    List<Double> all = new ArrayList<>();
    boolean oneRow = rows.length == 1;
    for (double[] r : rows) {
      if (!oneRow && r.length != 1) {
        throw new BadFileException(file, "expected b-values in one row or one column, found "
            + rows.length + " rows of " + r.length + " numbers");
      }
      for (double v : r) {
        all.add(v);
      }
    }
    if (all.isEmpty()) {
      throw new BadFileException(file, "expected b-values, found an empty file");
    }
    return all.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[][] toDirections(double[][] rows, int n, Path file) {
    if (rows.length == 3 && rows[0].length == n && rows[1].length == n && rows[2].length == n) {
      double[][] out = new double[n][3];
      for (int i = 0; i < n; i++) {
        for (int r = 0; r < 3; r++) {
          out[i][r] = rows[r][i];
        }
      }
      return out;
    }
    boolean columns = rows.length == n;
    for (double[] r : rows) {
      columns &= r.length == 3;
    }
    if (columns) {
      return rows;
    }
    String found = rows.length == 0 ? "an empty file"
        : rows.length + " rows of " + rows[0].length + " numbers";
    throw new BadFileException(file, "expected 3 rows of " + n + " numbers (or " + n
        + " rows of 3) to match the " + n + " b-values, found " + found);
  }

  /**
   * Numbers per non-empty, non-comment line, separated by spaces, tabs or commas; NaN is kept
   * only when {@code allowNaN}, infinities never.
   */
  static double[][] readNumbers(Path file, boolean allowNaN) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    List<double[]> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    for (int li = 0; li < lines.size(); li++) {
      String line = lines.get(li).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("[\\s,]+");
      double[] row = new double[parts.length];
      for (int k = 0; k < parts.length; k++) {
        try {
          row[k] = parts[k].equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(parts[k]);
        } catch (NumberFormatException e) {
          throw new BadFileException(file, "line " + (li + 1) + ": expected a number, found '"
              + parts[k] + "'");
        }
        if (!Double.isFinite(row[k]) && !(allowNaN && Double.isNaN(row[k]))) {
          throw new BadFileException(file, "line " + (li + 1) + ": expected a finite number,"
              + " found '" + parts[k] + "'");
        }
      }
      rows.add(row);
    }
    return rows.toArray(new double[0][]);
  }
}
