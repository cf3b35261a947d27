package org.noddildm.core.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * Reads MRtrix's image format, {@code .mif} and {@code .mif.gz}: a text header
 * ({@code mrtrix image}, then {@code key: value} lines up to {@code END}) followed by the data,
 * in the same file ({@code file: . OFFSET}) or in one file beside it.
 *
 * <p>The keys read: {@code dim} (3 or 4 sizes), {@code vox}, {@code layout} (per axis the rank
 * of its stride, 0 fastest, and its sign: a negative axis is stored from its last voxel),
 * {@code datatype} ({@code [U]Int8}, {@code [U]Int16/32}, {@code Float32/64} with
 * {@code LE}/{@code BE}), {@code scaling} (offset, multiplier), {@code transform} (three rows: the
 * scanner position of a voxel is {@code T * (i*vox_x, j*vox_y, k*vox_z, 1)}, so the NIfTI-style
 * affine is the transform's linear part times {@code diag(vox)}) and {@code dw_scheme} (one
 * {@code gx,gy,gz,b} row per volume in scanner coordinates; {@link GradientIO#fromScanner}
 * turns it into the image-axis table this project uses).
 */
public final class MifReader {
  /** The largest text header read (real ones are a few kB; dw_scheme rows add 40 B each). */
  static final int MAX_HEADER_BYTES = 1 << 24;

  /**
   * A MRtrix image.
   *
   * @param image the volume, with a NIfTI header made from its affine (for outputs that take
   *     the input's header as reference)
   * @param dwScheme the {@code dw_scheme} rows (gx, gy, gz, b in scanner coordinates), or null
   */
  public record MifImage(NiftiImage image, double[][] dwScheme) {}

  private MifReader() {}

  /** Whether {@code file} is named as a MRtrix image ({@code .mif} or {@code .mif.gz}). */
  public static boolean isMif(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".mif") || n.endsWith(".mif.gz");
  }

  /** Reads the header and the data. */
  public static MifImage read(Path file) throws IOException {
    boolean gz = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = new BufferedInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw,
            1 << 16)) {
      long[] read = {0};
      Map<String, List<String>> keys = header(in, file, read);
      return build(file, keys, in, read[0]);
    }
  }

  /** The header's keys, each with its values in order; {@code read[0]} gets the bytes read. */
  private static Map<String, List<String>> header(InputStream in, Path file, long[] read)
      throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0 || read[0] >= MAX_HEADER_BYTES) {
        throw new BadFileException(file, "expected a MRtrix header ending in END, found "
            + (c < 0 ? "the end of the file" : "more than " + MAX_HEADER_BYTES + " bytes"));
      }
      read[0]++;
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      String l = line.toString().strip();
      line.setLength(0);
      if (lines.isEmpty() && !l.equals("mrtrix image")) {
        throw new BadFileException(file, "expected a MRtrix image starting 'mrtrix image',"
            + " found '" + (l.length() > 40 ? l.substring(0, 40) + "..." : l) + "'");
      }
      if (l.equals("END")) {
        break;
      }
      lines.add(l);
    }
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (String l : lines.subList(1, lines.size())) {
      int colon = l.indexOf(':');
      if (colon > 0) {
        keys.computeIfAbsent(l.substring(0, colon).strip(), k -> new ArrayList<>())
            .add(l.substring(colon + 1).strip());
      }
    }
    return keys;
  }

  private static MifImage build(Path file, Map<String, List<String>> keys, InputStream in,
      long consumed) throws IOException {
    long[] dim = longs(file, "dim", one(file, keys, "dim"));
    if (dim.length < 3 || dim.length > 4) {
      throw new BadFileException(file, "dim: expected 3 or 4 sizes, found " + dim.length);
    }
    int nd = dim.length;
    double[] vox = numbers(file, "vox", one(file, keys, "vox"));
    String[] layout = one(file, keys, "layout").split(",");
    if (vox.length < 3 || layout.length != nd) {
      throw new BadFileException(file, "vox/layout: expected " + nd + " entries as dim has,"
          + " found " + vox.length + " and " + layout.length);
    }
    Type type = Type.of(file, one(file, keys, "datatype"));
    List<String> t = keys.getOrDefault("transform", List.of());
    if (t.size() != 3) {
      throw new BadFileException(file, "transform: expected 3 rows, found " + t.size());
    }
    double[][] m = new double[4][4];
    for (int r = 0; r < 3; r++) {
      double[] row = numbers(file, "transform", t.get(r));
      if (row.length != 4) {
        throw new BadFileException(file, "transform: expected 4 numbers per row, found "
            + row.length);
      }
      for (int c = 0; c < 3; c++) {
        m[r][c] = row[c] * vox[c];
      }
      m[r][3] = row[3];
    }
    m[3][3] = 1;
    int nx = (int) dim[0];
    int ny = (int) dim[1];
    int nz = (int) dim[2];
    int nt = nd == 4 ? (int) dim[3] : 1;
    long count = dim[0] * dim[1] * dim[2] * (nd == 4 ? dim[3] : 1);
    if (count * type.bytes > Integer.MAX_VALUE - 8 || count <= 0) {
      throw new BadFileException(file, "expected an image of at most 2 GB of data, found "
          + String.join(" x ", keys.get("dim")) + " " + type.name);
    }
    Grid grid;
    try {
      grid = new Grid(nx, ny, nz, Affine.of(m));
    } catch (BadArgumentException e) {
      throw new BadFileException(file, e.getMessage(), e);
    }
    double[] scaling = keys.containsKey("scaling") ? numbers(file, "scaling",
        one(file, keys, "scaling")) : new double[] {0, 1};
    byte[] bytes = data(file, keys, in, consumed, count * type.bytes);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(type.order);
    long[] stride = strides(file, layout, dim);
    long base = 0;
    for (int a = 0; a < nd; a++) {
      if (stride[a] < 0) {
        base += -stride[a] * (dim[a] - 1); // a negative axis starts at its last voxel
      }
    }
    float[] out = new float[(int) count];
    int n = 0;
    for (int v = 0; v < nt; v++) {
      for (int z = 0; z < nz; z++) {
        for (int y = 0; y < ny; y++) {
          long row = base + (long) y * stride[1] + (long) z * stride[2]
              + (nd == 4 ? (long) v * stride[3] : 0);
          for (int x = 0; x < nx; x++) {
            long at = (row + x * stride[0]) * type.bytes;
            out[n++] = (float) (scaling[0] + scaling[1] * type.get(buf, (int) at));
          }
        }
      }
    }
    Volume volume = new Volume(grid, nt, out);
    NiftiHeader h = NiftiWriter.buildHeader(volume, NiftiWriter.Options.defaults());
    double[][] scheme = null;
    if (keys.containsKey("dw_scheme")) {
      List<String> rows = keys.get("dw_scheme");
      scheme = new double[rows.size()][];
      for (int i = 0; i < rows.size(); i++) {
        scheme[i] = numbers(file, "dw_scheme", rows.get(i));
        if (scheme[i].length != 4) {
          throw new BadFileException(file, "dw_scheme row " + (i + 1) + ": expected 4 numbers"
              + " (gx,gy,gz,b), found " + scheme[i].length);
        }
      }
    }
    return new MifImage(new NiftiImage(h, volume), scheme);
  }

  /** Per axis, the signed step between neighbouring voxels in values, from the layout. */
  private static long[] strides(Path file, String[] layout, long[] dim) {
    int nd = dim.length;
    int[] rank = new int[nd];
    int[] sign = new int[nd];
    boolean[] seen = new boolean[nd];
    for (int a = 0; a < nd; a++) {
      String s = layout[a].strip();
      try {
        sign[a] = s.startsWith("-") ? -1 : 1;
        rank[a] = Integer.parseInt(s.replaceFirst("^[+-]", ""));
      } catch (NumberFormatException e) {
        rank[a] = -1;
      }
      if (rank[a] < 0 || rank[a] >= nd || seen[rank[a]]) {
        throw new BadFileException(file, "layout: expected a permutation of 0.." + (nd - 1)
            + " with signs, found " + String.join(",", layout));
      }
      seen[rank[a]] = true;
    }
    long[] stride = new long[nd];
    for (int a = 0; a < nd; a++) {
      long s = 1;
      for (int b = 0; b < nd; b++) {
        if (rank[b] < rank[a]) {
          s *= dim[b];
        }
      }
      stride[a] = sign[a] * s;
    }
    return stride;
  }

  /** The data bytes: after the header in this file, or in the file the header names. */
  private static byte[] data(Path file, Map<String, List<String>> keys, InputStream in,
      long consumed, long length) throws IOException {
    String[] f = one(file, keys, "file").split("\\s+");
    long offset = f.length > 1 ? longs(file, "file", f[1])[0] : 0;
    if (f[0].equals(".")) {
      if (offset < consumed) {
        throw new BadFileException(file, "file: expected the data after the header (offset >= "
            + consumed + "), found offset " + offset);
      }
      in.skipNBytes(offset - consumed);
      return exactly(in, length, file);
    }
    Path other = file.resolveSibling(f[0]);
    try (InputStream o = new BufferedInputStream(Files.newInputStream(other), 1 << 16)) {
      o.skipNBytes(offset);
      return exactly(o, length, other);
    }
  }

  private static byte[] exactly(InputStream in, long length, Path file) throws IOException {
    byte[] b = in.readNBytes((int) length);
    if (b.length != length) {
      throw new BadFileException(file, "expected " + length + " bytes of image data, found "
          + b.length + " (a truncated file?)");
    }
    return b;
  }

  private static String one(Path file, Map<String, List<String>> keys, String key) {
    List<String> v = keys.get(key);
    if (v == null || v.isEmpty()) {
      throw new BadFileException(file, "expected the MRtrix header key '" + key + "', found"
          + " none");
    }
    return v.get(0);
  }

  private static double[] numbers(Path file, String key, String text) {
    String[] parts = text.split("[,\\s]+");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Double.parseDouble(parts[i]);
      } catch (NumberFormatException e) {
        throw new BadFileException(file, key + ": expected numbers, found '" + text + "'");
      }
    }
    return out;
  }

  private static long[] longs(Path file, String key, String text) {
    double[] d = numbers(file, key, text);
    long[] out = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (long) d[i];
      if (out[i] != d[i] || out[i] < 0) {
        throw new BadFileException(file, key + ": expected whole numbers >= 0, found '" + text
            + "'");
      }
    }
    return out;
  }

  /** The stored value types. */
  private record Type(String name, int bytes, ByteOrder order, char kind, boolean unsigned) {
    static Type of(Path file, String text) {
      String t = text.strip();
      ByteOrder order = t.endsWith("BE") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      String base = t.replaceFirst("(LE|BE)$", "");
      return switch (base) {
        case "Int8" -> new Type(t, 1, order, 'i', false);
        case "UInt8" -> new Type(t, 1, order, 'i', true);
        case "Int16" -> new Type(t, 2, order, 'i', false);
        case "UInt16" -> new Type(t, 2, order, 'i', true);
        case "Int32" -> new Type(t, 4, order, 'i', false);
        case "UInt32" -> new Type(t, 4, order, 'i', true);
        case "Float32" -> new Type(t, 4, order, 'f', false);
        case "Float64" -> new Type(t, 8, order, 'f', false);
        default -> throw new BadFileException(file, "datatype: expected [U]Int8/16/32 or"
            + " Float32/64 (LE or BE), found " + t);
      };
    }

    double get(ByteBuffer b, int at) {
      if (kind == 'f') {
        return bytes == 4 ? b.getFloat(at) : b.getDouble(at);
      }
      return switch (bytes) {
        case 1 -> unsigned ? b.get(at) & 0xff : b.get(at);
        case 2 -> unsigned ? b.getShort(at) & 0xffff : b.getShort(at);
        default -> unsigned ? b.getInt(at) & 0xffffffffL : b.getInt(at);
      };
    }
  }
}
