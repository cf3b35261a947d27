package org.noddildm.core.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * Writes a 4D NIfTI image one 3D volume at a time, so that an image larger than memory (an HCP
 * DWI) can be produced while holding one volume. Like {@link NiftiWriter} it writes to a
 * temporary file; {@link #commit()} moves it into place once every volume was written, and
 * {@link #close()} without a commit deletes it.
 *
 * <p>Float types only need no scaling; integer types are stored with scl_slope 1, inter 0, so
 * values must be integers in the type's range (checked per volume).
 */
public final class NiftiStreamWriter implements Closeable {
  private final Path target;
  private final Path tmp;
  private final NiftiHeader header;
  private final Grid grid;
  private final int nt;
  private final OutputStream out;
  private final ByteBuffer buf;
  private int written;
  private boolean committed;

  /** Starts {@code target} for {@code nt} volumes on {@code grid}. */
  public NiftiStreamWriter(Path target, Grid grid, int nt, NiftiWriter.Options options)
      throws IOException {
    BadArgumentException.require(nt >= 1, "volumes: expected >= 1, found " + nt);
    this.target = target;
    this.grid = grid;
    this.nt = nt;
    // Build the header from a one-voxel stand-in: the shape is set below.
    Volume probe = new Volume(grid, 1, new float[grid.size()]);
    this.header = NiftiWriter.buildHeader(probe, options);
    header.dim = new long[] {nt > 1 ? 4 : 3, grid.nx(), grid.ny(), grid.nz(), nt, 1, 1, 1};
    header.sclSlope = 1;
    header.sclInter = 0;
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    this.tmp = AtomicFiles.newTempFile(target);
    OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
    this.out = NiftiWriter.isGzName(target) ? NiftiWriter.gzip(raw) : raw;
    this.buf = ByteBuffer.allocate((1 << 20) / header.datatype.bytes * header.datatype.bytes)
        .order(ByteOrder.LITTLE_ENDIAN);
    try {
      out.write(NiftiCodec.encode(header));
    } catch (IOException e) {
      try {
        out.close();
      } catch (IOException ignored) {
        // the write already failed; that error is the one to report
      }
      AtomicFiles.discard(tmp); // no object to close: do it here
      throw AtomicFiles.cannotWrite(target, e);
    }
  }

  /** Appends the next volume (3D, on the writer's grid). */
  public void write(Volume v) throws IOException {
    BadArgumentException.require(v.nt() == 1 && v.grid().sameAs(grid), "stream writer: expected"
        + " a 3D volume on " + grid.shape() + ", found " + v.shape());
    BadArgumentException.require(written < nt,
        "stream writer: expected " + nt + " volumes, found more");
    NiftiDataType t = header.datatype;
    if (t.isInteger()) {
      double[] s = NiftiWriter.scalingFor(v.data(), t);
      BadArgumentException.require(s[0] == 1 && s[1] == 0, "stream writer: expected integers"
          + " within " + t.label() + " range, found other values; write float32 instead");
    }
    float[] d = v.data();
    int per = buf.capacity() / t.bytes;
    for (int off = 0; off < d.length; off += per) {
      int n = Math.min(per, d.length - off);
      buf.clear();
      ValueCodec.encode(d, off, n, t, 1, 0, buf);
      try {
        out.write(buf.array(), 0, buf.position());
      } catch (IOException e) {
        throw AtomicFiles.cannotWrite(target, e);
      }
    }
    written++;
  }

  /** Finishes the file and moves it into place; every volume must have been written. */
  public void commit() throws IOException {
    BadArgumentException.require(written == nt,
        "stream writer: expected " + nt + " volumes, found " + written);
    try {
      out.close(); // flushes the last block: a full disk shows here
    } catch (IOException e) {
      throw AtomicFiles.cannotWrite(target, e);
    }
    AtomicFiles.moveIntoPlace(tmp, target);
    committed = true;
  }

  /** Deletes the temporary file unless committed. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        out.close();
      } finally {
        AtomicFiles.discard(tmp);
      }
    }
  }
}
