package org.noddildm.app.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.noddildm.core.BadFileException;

/**
 * Reads the values of a NumPy {@code .npy} file (format 1.0-3.0) of little- or big-endian
 * float32 or float64, in storage order (the order does not matter to the white-noise check of
 * a whole array, and C and Fortran order hold the same values).
 */
final class Npy {
  private Npy() {}

  static float[] readFloats(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    if (b.length < 10 || (b[0] & 0xff) != 0x93 || b[1] != 'N' || b[2] != 'U' || b[3] != 'M'
        || b[4] != 'P' || b[5] != 'Y') {
      throw new BadFileException(file, "expected a .npy file (magic \\x93NUMPY), found other"
          + " bytes");
    }
    int major = b[6];
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int headerLen = major == 1 ? bb.getShort(8) & 0xffff : bb.getInt(8);
    int start = (major == 1 ? 10 : 12) + headerLen;
    String header = new String(b, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
    String descr = header.replaceAll("(?s).*'descr':\\s*'([^']*)'.*", "$1");
    ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    String type = descr.substring(1);
    ByteBuffer data = ByteBuffer.wrap(b, start, b.length - start).slice().order(order);
    if (type.equals("f4")) {
      float[] out = new float[data.remaining() / 4];
      data.asFloatBuffer().get(out);
      return out;
    }
    if (type.equals("f8")) {
      float[] out = new float[data.remaining() / 8];
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) data.getDouble(i * 8);
      }
      return out;
    }
    throw new BadFileException(file, "expected float32 or float64 values, found dtype " + descr);
  }
}
