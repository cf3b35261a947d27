package org.noddildm.core.io;

import java.nio.ByteBuffer;

/** Converts between stored values of a {@link NiftiDataType} and floats, with NIfTI scaling. */
final class ValueCodec {
  private ValueCodec() {}

  /**
   * Reads {@code n} stored values from {@code in} (positioned, in the header's byte order) into
   * {@code out[off..off+n)} as {@code raw * slope + inter}; {@code scaled} false skips scaling.
   * Returns how many finite values fell outside the float range and became infinite.
   */
  static int decode(ByteBuffer in, NiftiDataType t, float[] out, int off, int n, boolean scaled,
      double slope, double inter) {
    int overflowed = 0;
    for (int i = 0; i < n; i++) {
      double v;
      switch (t) {
        case UINT8:
          v = in.get() & 0xff;
          break;
        case INT8:
          v = in.get();
          break;
        case INT16:
          v = in.getShort();
          break;
        case UINT16:
          v = in.getShort() & 0xffff;
          break;
        case INT32:
          v = in.getInt();
          break;
        case UINT32:
          v = in.getInt() & 0xffffffffL;
          break;
        case INT64:
          v = in.getLong();
          break;
        case UINT64:
          long l = in.getLong();
          v = l >= 0 ? l : (double) (l >>> 1) * 2.0 + (l & 1);
          break;
        case FLOAT32:
          v = in.getFloat();
          break;
        case FLOAT64:
          v = in.getDouble();
          break;
        default:
          throw new IllegalStateException("unhandled data type " + t);
      }
      double x = scaled ? v * slope + inter : v;
      float f = (float) x;
      out[off + i] = f;
      if (Float.isInfinite(f) && !Double.isInfinite(x)) {
        overflowed++;
      }
    }
    return overflowed;
  }

  /**
   * Writes {@code n} floats from {@code in[off..)} as stored values {@code (x - inter) / slope},
   * rounded and clamped to the type's range for integer types.
   */
  static void encode(float[] in, int off, int n, NiftiDataType t, double slope, double inter,
      ByteBuffer out) {
    for (int i = 0; i < n; i++) {
      double x = in[off + i];
      if (t.isInteger()) {
        double s = Math.rint((x - inter) / slope);
        x = Math.max(t.min, Math.min(t.max, s));
      }
      switch (t) {
        case UINT8:
        case INT8:
          out.put((byte) (long) x);
          break;
        case INT16:
        case UINT16:
          out.putShort((short) (long) x);
          break;
        case INT32:
        case UINT32:
          out.putInt((int) (long) x);
          break;
        case INT64:
          out.putLong((long) x);
          break;
        case UINT64:
          out.putLong(x >= 0x1p63 ? (long) (x - 0x1p63) ^ Long.MIN_VALUE : (long) x);
          break;
        case FLOAT32:
          out.putFloat((float) x);
          break;
        case FLOAT64:
          out.putDouble(x);
          break;
        default:
          throw new IllegalStateException("unhandled data type " + t);
      }
    }
  }
}
