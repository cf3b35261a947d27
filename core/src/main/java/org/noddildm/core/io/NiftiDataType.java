package org.noddildm.core.io;

/**
 * The NIfTI data types this project reads and writes, with their header codes (nifti1.h) and
 * the range an integer type can hold.
 */
public enum NiftiDataType {
  UINT8(2, 1, 0, 255),
  INT16(4, 2, Short.MIN_VALUE, Short.MAX_VALUE),
  INT32(8, 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
  FLOAT32(16, 4, -Float.MAX_VALUE, Float.MAX_VALUE),
  FLOAT64(64, 8, -Double.MAX_VALUE, Double.MAX_VALUE),
  INT8(256, 1, Byte.MIN_VALUE, Byte.MAX_VALUE),
  UINT16(512, 2, 0, 65535),
  UINT32(768, 4, 0, 4294967295.0),
  INT64(1024, 8, Long.MIN_VALUE, Long.MAX_VALUE),
  UINT64(1280, 8, 0, 18446744073709551615.0);

  /** The {@code datatype} field of the header. */
  public final int code;
  /** Bytes per value; {@code bitpix} is 8 times this. */
  public final int bytes;
  /** Smallest and largest value the type holds. */
  public final double min;
  public final double max;

  NiftiDataType(int code, int bytes, double min, double max) {
    this.code = code;
    this.bytes = bytes;
    this.min = min;
    this.max = max;
  }

  public boolean isInteger() {
    return this != FLOAT32 && this != FLOAT64;
  }

  /** The type with header code {@code code}, or null when this project does not read it. */
  public static NiftiDataType fromCode(int code) {
    for (NiftiDataType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }

  /** By name as users type it: "uint8", "int16", "float32", "float64", also "float", "double". */
  public static NiftiDataType parse(String name) {
    String n = name.trim().toLowerCase(java.util.Locale.ROOT);
    switch (n) {
      case "float":
        return FLOAT32;
      case "double":
        return FLOAT64;
      case "byte":
        return UINT8;
      case "short":
        return INT16;
      case "int":
        return INT32;
      default:
        for (NiftiDataType t : values()) {
          if (t.name().toLowerCase(java.util.Locale.ROOT).equals(n)) {
            return t;
          }
        }
        throw new org.noddildm.core.BadArgumentException(
            "data type: expected one of uint8, int8, int16, uint16, int32, uint32, int64, uint64,"
                + " float32, float64, found '" + name + "'");
    }
  }

  /** Lower-case name as nibabel prints it, e.g. "float32". */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Name of a header code for messages, including the types this project does not read. */
  public static String describeCode(int code) {
    NiftiDataType t = fromCode(code);
    if (t != null) {
      return t.label() + " (" + code + ")";
    }
    switch (code) {
      case 0:
        return "unknown (0)";
      case 1:
        return "binary (1)";
      case 32:
        return "complex64 (32)";
      case 128:
        return "rgb24 (128)";
      case 1536:
        return "float128 (1536)";
      case 1792:
        return "complex128 (1792)";
      case 2048:
        return "complex256 (2048)";
      case 2304:
        return "rgba32 (2304)";
      default:
        return "code " + code;
    }
  }
}
