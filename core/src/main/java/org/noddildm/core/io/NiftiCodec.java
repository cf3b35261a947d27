package org.noddildm.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.noddildm.core.BadFileException;

/**
 * Byte layouts of the NIfTI-1 (348 bytes, magic "n+1") and NIfTI-2 (540 bytes, magic "n+2")
 * single-file headers, in either byte order. Only single-file images are handled; the 4 bytes of
 * the extension flag follow the header and extensions, if any, are skipped via vox_offset.
 */
final class NiftiCodec {
  static final int NIFTI1_SIZE = 348;
  static final int NIFTI2_SIZE = 540;
  private static final byte[] MAGIC2 = {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'};

  private NiftiCodec() {}

  /** Header length (348 or 540) announced by the first 4 bytes, in either byte order. */
  static int headerSize(byte[] first4, Path file) {
    int le = ByteBuffer.wrap(first4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int be = ByteBuffer.wrap(first4).order(ByteOrder.BIG_ENDIAN).getInt();
    if (le == NIFTI1_SIZE || be == NIFTI1_SIZE) {
      return NIFTI1_SIZE;
    }
    if (le == NIFTI2_SIZE || be == NIFTI2_SIZE) {
      return NIFTI2_SIZE;
    }
    if (new String(first4, java.nio.charset.StandardCharsets.US_ASCII).equals("mrtr")) {
      throw new BadFileException(file, "expected a NIfTI file here, found an MRtrix image (fit,"
          + " predict and qc-report read .mif; elsewhere convert it: mrconvert X.mif X.nii.gz)");
    }
    throw new BadFileException(file, "not a NIfTI file: expected sizeof_hdr 348 (NIfTI-1) or 540"
        + " (NIfTI-2), found " + le + " (little-endian) / " + be + " (big-endian)");
  }

  /** Parses and validates a header; {@code bytes} holds exactly 348 or 540 bytes. */
  static NiftiHeader decode(byte[] bytes, Path file) {
    int size = bytes.length;
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bb.getInt(0) != size) {
      bb.order(ByteOrder.BIG_ENDIAN);
    }
    NiftiHeader h = new NiftiHeader();
    h.littleEndian = bb.order() == ByteOrder.LITTLE_ENDIAN;
    int code;
    int bitpix;
    if (size == NIFTI1_SIZE) {
      String magic = string(bytes, 344, 4);
      if (magic.equals("ni1")) {
        throw new BadFileException(file, "expected a single-file NIfTI-1 (magic 'n+1'), found a"
            + " header/image pair (magic 'ni1'); convert it to .nii first");
      }
      if (!magic.equals("n+1")) {
        throw new BadFileException(file, "expected NIfTI-1 magic 'n+1', found '"
            + printable(bytes, 344, 4) + "' (an Analyze 7.5 file is not supported)");
      }
      h.version = 1;
      h.dimInfo = bytes[39] & 0xff;
      for (int i = 0; i < 8; i++) {
        h.dim[i] = bb.getShort(40 + 2 * i);
      }
      h.intentP1 = bb.getFloat(56);
      h.intentP2 = bb.getFloat(60);
      h.intentP3 = bb.getFloat(64);
      h.intentCode = bb.getShort(68);
      code = bb.getShort(70);
      bitpix = bb.getShort(72);
      h.sliceStart = bb.getShort(74);
      for (int i = 0; i < 8; i++) {
        h.pixdim[i] = bb.getFloat(76 + 4 * i);
      }
      float voxOffset = bb.getFloat(108);
      if (!Float.isFinite(voxOffset)) {
        throw new BadFileException(file, "expected a finite vox_offset (the byte where the image"
            + " data starts), found " + voxOffset);
      }
      h.voxOffset = (long) voxOffset;
      h.sclSlope = bb.getFloat(112);
      h.sclInter = bb.getFloat(116);
      h.sliceEnd = bb.getShort(120);
      h.sliceCode = bytes[122] & 0xff;
      h.xyztUnits = bytes[123] & 0xff;
      h.calMax = bb.getFloat(124);
      h.calMin = bb.getFloat(128);
      h.sliceDuration = bb.getFloat(132);
      h.toffset = bb.getFloat(136);
      h.descrip = string(bytes, 148, 80);
      h.auxFile = string(bytes, 228, 24);
      h.qformCode = bb.getShort(252);
      h.sformCode = bb.getShort(254);
      h.quaternB = bb.getFloat(256);
      h.quaternC = bb.getFloat(260);
      h.quaternD = bb.getFloat(264);
      h.qoffsetX = bb.getFloat(268);
      h.qoffsetY = bb.getFloat(272);
      h.qoffsetZ = bb.getFloat(276);
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          h.srow[r][c] = bb.getFloat(280 + 16 * r + 4 * c);
        }
      }
      h.intentName = string(bytes, 328, 16);
    } else {
      for (int i = 0; i < 8; i++) {
        if (bytes[4 + i] != MAGIC2[i]) {
          throw new BadFileException(file, "expected NIfTI-2 magic 'n+2\\0\\r\\n\\032\\n', found '"
              + printable(bytes, 4, 8) + "'");
        }
      }
      h.version = 2;
      code = bb.getShort(12);
      bitpix = bb.getShort(14);
      for (int i = 0; i < 8; i++) {
        h.dim[i] = bb.getLong(16 + 8 * i);
      }
      h.intentP1 = bb.getDouble(80);
      h.intentP2 = bb.getDouble(88);
      h.intentP3 = bb.getDouble(96);
      for (int i = 0; i < 8; i++) {
        h.pixdim[i] = bb.getDouble(104 + 8 * i);
      }
      h.voxOffset = bb.getLong(168);
      h.sclSlope = bb.getDouble(176);
      h.sclInter = bb.getDouble(184);
      h.calMax = bb.getDouble(192);
      h.calMin = bb.getDouble(200);
      h.sliceDuration = bb.getDouble(208);
      h.toffset = bb.getDouble(216);
      h.sliceStart = bb.getLong(224);
      h.sliceEnd = bb.getLong(232);
      h.descrip = string(bytes, 240, 80);
      h.auxFile = string(bytes, 320, 24);
      h.qformCode = bb.getInt(344);
      h.sformCode = bb.getInt(348);
      h.quaternB = bb.getDouble(352);
      h.quaternC = bb.getDouble(360);
      h.quaternD = bb.getDouble(368);
      h.qoffsetX = bb.getDouble(376);
      h.qoffsetY = bb.getDouble(384);
      h.qoffsetZ = bb.getDouble(392);
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          h.srow[r][c] = bb.getDouble(400 + 32 * r + 8 * c);
        }
      }
      h.sliceCode = bb.getInt(496);
      h.xyztUnits = bb.getInt(500);
      h.intentCode = bb.getInt(504);
      h.intentName = string(bytes, 508, 16);
      h.dimInfo = bytes[524] & 0xff;
    }
    validate(h, code, bitpix, size, file);
    return h;
  }

  private static void validate(NiftiHeader h, int code, int bitpix, int size, Path file) {
    if (h.dim[0] < 1 || h.dim[0] > 7) {
      throw new BadFileException(file, "expected dim[0] (number of dimensions) in 1..7, found "
          + h.dim[0]);
    }
    for (int i = 1; i <= h.dim[0]; i++) {
      if (h.dim[i] < 1) {
        throw new BadFileException(file, "expected dim[" + i + "] >= 1, found " + h.dim[i]);
      }
      if (i <= 3 && h.dim[i] > Integer.MAX_VALUE) {
        // a spatial size must index an array; 2^31 voxels along one axis is no image
        throw new BadFileException(file, "expected dim[" + i + "] (a spatial size) below 2^31,"
            + " found " + h.dim[i]);
      }
    }
    NiftiDataType t = NiftiDataType.fromCode(code);
    if (t == null) {
      throw new BadFileException(file, "unsupported data type: expected one of uint8, int8, int16,"
          + " uint16, int32, uint32, int64, uint64, float32, float64, found "
          + NiftiDataType.describeCode(code));
    }
    if (bitpix != 8 * t.bytes) {
      throw new BadFileException(file, "expected bitpix " + 8 * t.bytes + " for " + t.label()
          + ", found " + bitpix);
    }
    h.datatype = t;
    if (h.voxOffset < size + 4) {
      // data inside the header or its 4-byte extension flag: nibabel refuses it too
      throw new BadFileException(file, "expected vox_offset >= " + (size + 4) + " (the "
          + size + "-byte header and the 4-byte extension flag), found " + h.voxOffset);
    }
    long total = 1;
    for (int i = 1; i <= h.dim[0]; i++) {
      if (total > (Long.MAX_VALUE / 16) / h.dim[i]) {
        throw new BadFileException(file, "expected a plausible image size, found dimensions whose"
            + " product overflows (dim[" + i + "] = " + h.dim[i] + ")");
      }
      total *= h.dim[i];
    }
    if (h.voxOffset > Long.MAX_VALUE / 2) {
      // with total * 8 < Long.MAX_VALUE / 2, vox_offset + data bytes cannot overflow
      throw new BadFileException(file, "expected a plausible vox_offset (the byte where the image"
          + " data starts), found " + h.voxOffset);
    }
    if (h.nt() > Integer.MAX_VALUE) {
      throw new BadFileException(file, "expected at most 2^31 - 1 volumes, found " + h.nt()
          + " (the product of dim[4.." + h.dim[0] + "])");
    }
    long spatial = (long) h.nx() * h.ny() * h.nz();
    if (spatial > Integer.MAX_VALUE) {
      throw new BadFileException(file, "expected at most 2^31 - 1 voxels per 3D volume, found "
          + spatial);
    }
  }

  /** The header bytes followed by the 4-byte extension flag (all zero: no extensions). */
  static byte[] encode(NiftiHeader h) {
    int size = h.version == 2 ? NIFTI2_SIZE : NIFTI1_SIZE;
    byte[] bytes = new byte[size + 4];
    ByteBuffer bb = ByteBuffer.wrap(bytes)
        .order(h.littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    bb.putInt(0, size);
    if (h.version == 2) {
      System.arraycopy(MAGIC2, 0, bytes, 4, 8);
      bb.putShort(12, (short) h.datatype.code);
      bb.putShort(14, (short) (8 * h.datatype.bytes));
      for (int i = 0; i < 8; i++) {
        bb.putLong(16 + 8 * i, h.dim[i]);
      }
      bb.putDouble(80, h.intentP1);
      bb.putDouble(88, h.intentP2);
      bb.putDouble(96, h.intentP3);
      for (int i = 0; i < 8; i++) {
        bb.putDouble(104 + 8 * i, h.pixdim[i]);
      }
      bb.putLong(168, h.voxOffset);
      bb.putDouble(176, h.sclSlope);
      bb.putDouble(184, h.sclInter);
      bb.putDouble(192, h.calMax);
      bb.putDouble(200, h.calMin);
      bb.putDouble(208, h.sliceDuration);
      bb.putDouble(216, h.toffset);
      bb.putLong(224, h.sliceStart);
      bb.putLong(232, h.sliceEnd);
      putString(bytes, 240, 80, h.descrip);
      putString(bytes, 320, 24, h.auxFile);
      bb.putInt(344, h.qformCode);
      bb.putInt(348, h.sformCode);
      bb.putDouble(352, h.quaternB);
      bb.putDouble(360, h.quaternC);
      bb.putDouble(368, h.quaternD);
      bb.putDouble(376, h.qoffsetX);
      bb.putDouble(384, h.qoffsetY);
      bb.putDouble(392, h.qoffsetZ);
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          bb.putDouble(400 + 32 * r + 8 * c, h.srow[r][c]);
        }
      }
      bb.putInt(496, h.sliceCode);
      bb.putInt(500, h.xyztUnits);
      bb.putInt(504, h.intentCode);
      putString(bytes, 508, 16, h.intentName);
      bytes[524] = (byte) h.dimInfo;
    } else {
      for (int i = 0; i < 8; i++) {
        if (h.dim[i] > Short.MAX_VALUE) {
          throw new org.noddildm.core.BadArgumentException("NIfTI-1: expected dimensions up to "
              + Short.MAX_VALUE + ", found " + h.dim[i] + "; write NIfTI-2 instead");
        }
      }
      bytes[38] = 'r'; // "regular", as nibabel and FSL write it
      bytes[39] = (byte) h.dimInfo;
      for (int i = 0; i < 8; i++) {
        bb.putShort(40 + 2 * i, (short) h.dim[i]);
      }
      bb.putFloat(56, (float) h.intentP1);
      bb.putFloat(60, (float) h.intentP2);
      bb.putFloat(64, (float) h.intentP3);
      bb.putShort(68, (short) h.intentCode);
      bb.putShort(70, (short) h.datatype.code);
      bb.putShort(72, (short) (8 * h.datatype.bytes));
      bb.putShort(74, (short) h.sliceStart);
      for (int i = 0; i < 8; i++) {
        bb.putFloat(76 + 4 * i, (float) h.pixdim[i]);
      }
      bb.putFloat(108, h.voxOffset);
      bb.putFloat(112, (float) h.sclSlope);
      bb.putFloat(116, (float) h.sclInter);
      bb.putShort(120, (short) h.sliceEnd);
      bytes[122] = (byte) h.sliceCode;
      bytes[123] = (byte) h.xyztUnits;
      bb.putFloat(124, (float) h.calMax);
      bb.putFloat(128, (float) h.calMin);
      bb.putFloat(132, (float) h.sliceDuration);
      bb.putFloat(136, (float) h.toffset);
      putString(bytes, 148, 80, h.descrip);
      putString(bytes, 228, 24, h.auxFile);
      bb.putShort(252, (short) h.qformCode);
      bb.putShort(254, (short) h.sformCode);
      bb.putFloat(256, (float) h.quaternB);
      bb.putFloat(260, (float) h.quaternC);
      bb.putFloat(264, (float) h.quaternD);
      bb.putFloat(268, (float) h.qoffsetX);
      bb.putFloat(272, (float) h.qoffsetY);
      bb.putFloat(276, (float) h.qoffsetZ);
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          bb.putFloat(280 + 16 * r + 4 * c, (float) h.srow[r][c]);
        }
      }
      putString(bytes, 328, 16, h.intentName);
      putString(bytes, 344, 4, "n+1");
    }
    return bytes;
  }

  private static String string(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.ISO_8859_1);
  }

  private static String printable(byte[] bytes, int offset, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = offset; i < offset + length; i++) {
      int b = bytes[i] & 0xff;
      sb.append(b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b));
    }
    return sb.toString();
  }

  private static void putString(byte[] bytes, int offset, int length, String s) {
    byte[] src = s == null ? new byte[0] : s.getBytes(StandardCharsets.ISO_8859_1);
    // Keep one byte for the terminating zero, as C readers expect.
    System.arraycopy(src, 0, bytes, offset, Math.min(src.length, length - 1));
  }
}
