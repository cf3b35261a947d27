package org.noddildm.core.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * Reads NIfTI-1 and NIfTI-2 single-file images, plain or gzipped (recognised by content, not by
 * name), in either byte order. Whole images, single volumes or z-slabs can be read, so a 4 GiB
 * 4D file need not be held in memory at once: a plain {@code .nii} is read by random access, a
 * {@code .nii.gz} by one streaming pass that keeps only what was asked for.
 *
 * <p>Values are returned as floats with scl_slope/scl_inter applied. Integer values beyond
 * 2^24 in magnitude lose precision in float, as in any float32 pipeline.
 */
public final class NiftiReader implements Closeable {
  private static final int CHUNK = 1 << 20;

  private final Path file;
  private final boolean gzipped;
  private final NiftiHeader header;
  private final Grid grid;
  private final FileChannel channel; // null for gzipped files

  private NiftiReader(Path file) throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    this.gzipped = isGzip(file);
    try (InputStream in = openStream()) {
      byte[] first = readBytes(in, 4, "the NIfTI header (at least 4 bytes)");
      int size = NiftiCodec.headerSize(first, file);
      byte[] rest = readBytes(in, size - 4, "a " + size + "-byte NIfTI header");
      byte[] all = new byte[size];
      System.arraycopy(first, 0, all, 0, 4);
      System.arraycopy(rest, 0, all, 4, size - 4);
      this.header = NiftiCodec.decode(all, file);
    }
    for (String w : header.warnings()) {
      warn(file.getFileName() + ": " + w);
    }
    try {
      this.grid = new Grid(header.nx(), header.ny(), header.nz(), header.affine());
    } catch (BadArgumentException e) {
      throw new BadFileException(file, e.getMessage(), e);
    }
    long size = Files.size(file);
    if (gzipped) {
      NiftiLimits.checkGzip(file, header, describe(), size);
      this.channel = null;
    } else {
      NiftiLimits.checkPlain(file, header, describe(), size);
      this.channel = FileChannel.open(file, StandardOpenOption.READ);
    }
  }

  private static volatile java.util.function.Consumer<String> warnings = w -> { };
  private static final java.util.Set<String> WARNED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Where warnings about headers that are read anyway ({@link NiftiHeader#warnings}) go, each
   * once per file and message (a command may open the same file several times); the default
   * drops them. The CLI sends them to its error stream.
   */
  public static void setWarningSink(java.util.function.Consumer<String> sink) {
    warnings = sink;
    WARNED.clear();
  }

  private static void warn(String w) {
    if (WARNED.add(w)) {
      warnings.accept(w);
    }
  }

  /** Opens {@code file} and validates its header; close the reader when done. */
  public static NiftiReader open(Path file) throws IOException {
    return new NiftiReader(file);
  }

  /** Reads the whole image. */
  public static NiftiImage read(Path file) throws IOException {
    try (NiftiReader r = open(file)) {
      return new NiftiImage(r.header(), r.readAll());
    }
  }

  /** Reads only the header. */
  public static NiftiHeader readHeader(Path file) throws IOException {
    try (NiftiReader r = open(file)) {
      return r.header();
    }
  }

  /** A copy of the header as stored. */
  public NiftiHeader header() {
    return header.copy();
  }

  /** The spatial grid: size and the affine chosen as nibabel does. */
  public Grid grid() {
    return grid;
  }

  /** Number of volumes (1 for a 3D image). */
  public int volumeCount() {
    return (int) header.nt();
  }

  public boolean isGzipped() {
    return gzipped;
  }

  /** Reads every volume. */
  public Volume readAll() throws IOException {
    long nt = header.nt();
    long total = (long) grid.size() * nt;
    if (total > Integer.MAX_VALUE - 8) {
      throw new BadArgumentException(file + ": image of " + describe() + " holds " + total
          + " values, more than one array can; read it by volume or slab instead");
    }
    return readSlab(0, grid.nz());
  }

  /** Reads volume {@code t} (0-based) as a 3D image. */
  public Volume readVolume(int t) throws IOException {
    int nt = volumeCount();
    BadArgumentException.require(t >= 0 && t < nt,
        "volume index: expected 0.." + (nt - 1) + ", found " + t);
    int n = grid.size();
    float[] out = NiftiLimits.floats(file, n, "one volume of " + describe());
    readRuns(new long[] {(long) t * n}, n, out, null);
    return Volume.of(grid, out);
  }

  /** Receives the volumes of an image one at a time. */
  @FunctionalInterface
  public interface VolumeConsumer {
    void accept(int t, Volume volume) throws IOException;
  }

  /**
   * Calls {@code consumer} for each volume in order, holding one volume at a time; a gzipped file
   * is decompressed once. The array passed on is reused for the next volume: copy what you keep.
   */
  public void forEachVolume(VolumeConsumer consumer) throws IOException {
    int nt = volumeCount();
    int n = grid.size();
    long[] starts = new long[nt];
    for (int t = 0; t < nt; t++) {
      starts[t] = (long) t * n;
    }
    float[] buffer = NiftiLimits.floats(file, n, "one volume of " + describe());
    readRuns(starts, n, buffer, k -> consumer.accept(k, Volume.of(grid, buffer)));
  }

  /** Called after each run when runs are streamed through one buffer. */
  @FunctionalInterface
  private interface RunHandler {
    void done(int k) throws IOException;
  }

  /**
   * Reads the slab of slices z0 (inclusive) to z1 (exclusive) of every volume; its grid is shifted
   * so that it keeps its place in world space.
   */
  public Volume readSlab(int z0, int z1) throws IOException {
    BadArgumentException.require(0 <= z0 && z0 < z1 && z1 <= grid.nz(),
        "slab: expected 0 <= z0 < z1 <= " + grid.nz() + ", found z0=" + z0 + ", z1=" + z1);
    int nt = volumeCount();
    int plane = grid.nx() * grid.ny();
    int run = plane * (z1 - z0);
    BadArgumentException.require((long) run * nt <= Integer.MAX_VALUE - 8,
        "slab of " + (z1 - z0) + " slices x " + nt + " volumes is too large for one array");
    long[] starts = new long[nt];
    for (int t = 0; t < nt; t++) {
      starts[t] = (long) t * grid.size() + (long) z0 * plane;
    }
    float[] out = NiftiLimits.floats(file, (long) run * nt, (z1 - z0) + " slices of "
        + describe());
    readRuns(starts, run, out, null);
    Grid g = z0 == 0 && z1 == grid.nz() ? grid : slabGrid(z0, z1);
    return new Volume(g, nt, out);
  }

  private Grid slabGrid(int z0, int z1) {
    double[][] a = grid.affine().toArray();
    double[] origin = grid.affine().apply(0, 0, z0);
    for (int r = 0; r < 3; r++) {
      a[r][3] = origin[r];
    }
    return new Grid(grid.nx(), grid.ny(), z1 - z0, org.noddildm.core.volume.Affine.of(a));
  }

  /** {@link ValueCodec#decode}, warning once per file when values overflow float32. */
  private void decode(ByteBuffer buf, NiftiDataType t, float[] out, int off, int n,
      boolean scaled, double slope, double inter) {
    if (ValueCodec.decode(buf, t, out, off, n, scaled, slope, inter) > 0) {
      warn(file.getFileName() + ": values beyond the float32 range (|x| > 3.4e38 after"
          + " scaling) are read as +/-Inf, since noddi computes in float32");
    }
  }

  /**
   * Reads runs of {@code len} values starting at each (ascending) value index in {@code starts},
   * run k into {@code out[k * len..)}; with a handler every run goes to {@code out[0..len)} and
   * the handler is called after each.
   */
  private void readRuns(long[] starts, int len, float[] out, RunHandler handler)
      throws IOException {
    NiftiDataType t = header.datatype;
    boolean scaled = header.hasScaling();
    double slope = header.sclSlope;
    double inter = Double.isFinite(header.sclInter) ? header.sclInter : 0;
    ByteOrder order = header.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    int perChunk = CHUNK / t.bytes;
    ByteBuffer buf = ByteBuffer.allocate(perChunk * t.bytes).order(order);
    if (!gzipped) {
      for (int k = 0; k < starts.length; k++) {
        long pos = header.voxOffset + starts[k] * t.bytes;
        for (int done = 0; done < len; ) {
          int n = Math.min(perChunk, len - done);
          buf.clear().limit(n * t.bytes);
          while (buf.hasRemaining()) {
            if (channel.read(buf, pos + buf.position()) < 0) {
              throw new BadFileException(file, "unexpected end of file while reading voxels");
            }
          }
          buf.flip();
          decode(buf, t, out, base(k, len, handler) + done, n, scaled, slope, inter);
          pos += (long) n * t.bytes;
          done += n;
        }
        if (handler != null) {
          handler.done(k);
        }
      }
      return;
    }
    long expected = header.voxelCount() * t.bytes;
    try (InputStream in = openStream()) {
      skipFully(in, header.voxOffset);
      long at = 0; // value index the stream stands at
      for (int k = 0; k < starts.length; k++) {
        skipFully(in, (starts[k] - at) * t.bytes);
        for (int done = 0; done < len; ) {
          int n = Math.min(perChunk, len - done);
          readFully(in, buf.array(), n * t.bytes, expected, at + done);
          buf.clear().limit(n * t.bytes);
          decode(buf, t, out, base(k, len, handler) + done, n, scaled, slope, inter);
          done += n;
        }
        at = starts[k] + len;
        if (handler != null) {
          handler.done(k);
        }
      }
      if (at == header.voxelCount()) {
        // Read to the end so that GZIPInputStream checks the CRC of what we returned.
        while (in.read(buf.array()) >= 0) {
          // drain
        }
      }
    } catch (ZipException e) {
      throw new BadFileException(file, "corrupt gzip data: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new BadFileException(file, "truncated gzip stream: expected " + expected
          + " bytes of image data (" + describe() + "), the stream ended early", e);
    }
  }

  private static int base(int k, int len, RunHandler handler) {
    return handler == null ? k * len : 0;
  }

  private void readFully(InputStream in, byte[] b, int n, long expected, long valueIndex)
      throws IOException {
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        long found = valueIndex * header.datatype.bytes + off;
        throw new BadFileException(file, "truncated: expected " + expected + " bytes of image"
            + " data (" + describe() + "), found " + found);
      }
      off += r;
    }
  }

  private void skipFully(InputStream in, long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new BadFileException(file, "truncated: expected " + header.voxelCount()
              * header.datatype.bytes + " bytes of image data (" + describe()
              + "), the stream ended early");
        }
        s = 1;
      }
      n -= s;
    }
  }

  private String describe() {
    StringBuilder sb = new StringBuilder();
    for (int d = 1; d <= header.dim[0]; d++) {
      sb.append(d > 1 ? " x " : "").append(header.dim[d]);
    }
    return sb.append(' ').append(header.datatype.label()).toString();
  }

  private InputStream openStream() throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (!gzipped) {
      return raw;
    }
    try {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    } catch (ZipException | EOFException e) {
      raw.close();
      throw new BadFileException(file, e.getMessage() == null
          ? "truncated gzip header: expected at least 10 bytes after the magic 1f 8b"
          : "corrupt gzip header: " + e.getMessage(), e);
    }
  }

  private byte[] readBytes(InputStream in, int n, String what) throws IOException {
    byte[] b = new byte[n];
    int off = 0;
    try {
      while (off < n) {
        int r = in.read(b, off, n - off);
        if (r < 0) {
          throw new BadFileException(file, "truncated: expected " + what + ", found only "
              + off + " more bytes");
        }
        off += r;
      }
    } catch (ZipException e) {
      throw new BadFileException(file, "corrupt gzip data: " + e.getMessage(), e);
    } catch (EOFException e) {
      throw new BadFileException(file, "truncated gzip stream while reading " + what, e);
    }
    return b;
  }

  /** True when the file starts with the gzip magic bytes 1f 8b. */
  static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  @Override
  public void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
