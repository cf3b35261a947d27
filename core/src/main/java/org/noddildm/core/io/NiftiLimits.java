package org.noddildm.core.io;

import java.nio.file.Path;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;

/**
 * Size checks that stand between a NIfTI header and an allocation: a header is only a claim, so
 * before memory is reserved for what it says, the claim is held against what the file can hold
 * and what the Java heap can hold, and refused in one line that says expected versus found.
 */
final class NiftiLimits {
  /**
   * Deflate's largest expansion: one compressed byte stands for at most about 1032 output bytes
   * (zlib's technical details), so a gzip file of n bytes unpacks to at most 1032 n bytes plus a
   * little per block; a header that asks for more is a lie, whatever the stream holds.
   */
  static final long DEFLATE_MAX_RATIO = 1032;

  private NiftiLimits() {}

  /** Bytes from the start of the file to the end of the image data the header announces. */
  static long bytesNeeded(NiftiHeader h) {
    // validate() keeps voxelCount * 8 and vox_offset + that below Long.MAX_VALUE
    return h.voxOffset + h.voxelCount() * h.datatype.bytes;
  }

  /** A plain file must hold every byte the header announces. */
  static void checkPlain(Path file, NiftiHeader h, String dims, long fileSize) {
    long need = bytesNeeded(h);
    if (fileSize < need) {
      throw new BadFileException(file, "truncated or wrong dimensions: header says " + dims
          + " (" + need + " bytes from the start), file has " + fileSize + " bytes");
    }
  }

  /** A gzip file cannot unpack to more than {@link #DEFLATE_MAX_RATIO} times its size. */
  static void checkGzip(Path file, NiftiHeader h, String dims, long fileSize) {
    long need = bytesNeeded(h);
    long most = fileSize * DEFLATE_MAX_RATIO + 1024;
    if (need > most) {
      throw new BadFileException(file, "truncated or wrong dimensions: header says " + dims
          + " (" + need + " bytes unpacked), a gzip file of " + fileSize + " bytes unpacks to"
          + " at most " + most);
    }
  }

  /**
   * A float array of {@code n} values for the image of {@code file}, refused in one line with
   * the {@code JAVA_OPTS=-Xmx} hint when the heap cannot hold it (checked against the heap's
   * ceiling before allocating; an allocation that still fails says the same).
   */
  static float[] floats(Path file, long n, String what) {
    long bytes = 4 * n;
    long max = Runtime.getRuntime().maxMemory();
    if (n > Integer.MAX_VALUE - 8 || bytes > max) {
      throw heap(file, what, bytes, max);
    }
    try {
      return new float[(int) n];
    } catch (OutOfMemoryError e) {
      Runtime rt = Runtime.getRuntime();
      throw heap(file, what, bytes, max - (rt.totalMemory() - rt.freeMemory()));
    }
  }

  private static BadArgumentException heap(Path file, String what, long bytes, long free) {
    long gib = (long) Math.ceil(bytes / (double) (1L << 30));
    return new BadArgumentException(file + ": reading " + what + " needs " + mib(bytes)
        + " MiB of Java heap as float32, found " + mib(Math.max(0, free)) + " MiB free; give"
        + " Java more with JAVA_OPTS=-Xmx" + (gib + 2) + "g, or read less at once");
  }

  private static long mib(long bytes) {
    return (bytes + (1L << 20) - 1) >> 20;
  }
}
