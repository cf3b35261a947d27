package org.noddildm.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Volume;

/**
 * Writes a {@link Volume} as a single-file NIfTI-1 or NIfTI-2 image, gzipped when the name ends in
 * {@code .gz}. The header gets the volume's affine as both sform and qform (so FSL, MRtrix,
 * nibabel and Mango place it the same way) and keeps the codes, units, description and intent of
 * a reference header when one is given, so outputs overlay their inputs.
 *
 * <p>The file is written to a temporary name in the same folder and moved into place only when
 * complete, so a failure never leaves a half-written image.
 */
public final class NiftiWriter {
  private static final int CHUNK = 1 << 20;

  private NiftiWriter() {}

  /**
   * What to write besides the voxels.
   *
   * @param version NIfTI version, 1 (default; dims up to 32767) or 2
   * @param dataType stored type; integer types get scl_slope/scl_inter when the values need them
   * @param reference header whose codes, units, descrip, intent and TR are kept, or null
   * @param description descrip text (at most 79 characters kept), or null to keep the reference's
   */
  public record Options(int version, NiftiDataType dataType, NiftiHeader reference,
      String description) {
    public Options {
      BadArgumentException.require(version == 1 || version == 2,
          "NIfTI version: expected 1 or 2, found " + version);
      BadArgumentException.require(dataType != null, "data type: expected one, found null");
    }

    /** NIfTI-1, float32, no reference. */
    public static Options defaults() {
      return new Options(1, NiftiDataType.FLOAT32, null, null);
    }

    public Options withType(NiftiDataType t) {
      return new Options(version, t, reference, description);
    }

    public Options withVersion(int v) {
      return new Options(v, dataType, reference, description);
    }

    public Options withReference(NiftiHeader h) {
      return new Options(version, dataType, h, description);
    }

    public Options withDescription(String d) {
      return new Options(version, dataType, reference, d);
    }
  }

  /** Writes {@code v} as float32 NIfTI-1. */
  public static void write(Path file, Volume v) throws IOException {
    write(file, v, Options.defaults());
  }

  /** Writes {@code v} with the given options; see the class comment for what is kept. */
  public static void write(Path file, Volume v, Options options) throws IOException {
    NiftiHeader h = buildHeader(v, options);
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = AtomicFiles.newTempFile(file);
    boolean done = false;
    try {
      try (OutputStream out = open(tmp, isGzName(file))) {
        out.write(NiftiCodec.encode(h));
        writeValues(out, v.data(), h);
      } catch (IOException e) {
        throw AtomicFiles.cannotWrite(file, e);
      }
      AtomicFiles.moveIntoPlace(tmp, file);
      done = true;
    } finally {
      if (!done) {
        AtomicFiles.discard(tmp);
      }
    }
  }

  /** The header {@link #write} would write for {@code v}. */
  public static NiftiHeader buildHeader(Volume v, Options options) {
    NiftiHeader h = options.reference() != null ? options.reference().copy() : new NiftiHeader();
    NiftiHeader ref = options.reference();
    h.version = options.version();
    h.littleEndian = true;
    h.datatype = options.dataType();
    int rank = v.nt() > 1 ? 4 : 3;
    h.dim = new long[] {rank, v.nx(), v.ny(), v.nz(), v.nt(), 1, 1, 1};
    double tr = ref != null && ref.dim[0] >= 4 ? ref.pixdim[4] : 1;
    h.pixdim = new double[] {1, 1, 1, 1, v.nt() > 1 ? tr : 1, 1, 1, 1};
    int sCode = ref != null && NiftiHeader.isValidCode(ref.sformCode) ? ref.sformCode
        : NiftiHeader.XFORM_SCANNER_ANAT;
    int qCode = ref != null && NiftiHeader.isValidCode(ref.qformCode) ? ref.qformCode : sCode;
    h.setAffine(v.grid().affine(), sCode, qCode);
    h.voxOffset = h.version == 2 ? NiftiCodec.NIFTI2_SIZE + 4 : NiftiCodec.NIFTI1_SIZE + 4;
    if (ref == null) {
      h.xyztUnits = NiftiHeader.UNITS_MM | NiftiHeader.UNITS_SEC;
    }
    if (options.description() != null) {
      h.descrip = options.description();
    }
    h.calMin = 0;
    h.calMax = 0;
    h.sliceStart = 0;
    h.sliceEnd = 0;
    h.sliceCode = 0;
    h.sliceDuration = 0;
    double[] scaling = scalingFor(v.data(), h.datatype);
    h.sclSlope = scaling[0];
    h.sclInter = scaling[1];
    return h;
  }

  /**
   * scl_slope and scl_inter for storing {@code data} as {@code t}: (1, 0) for float types and for
   * integer data that fits the type; otherwise a linear map of the data range onto the type's
   * range, as nibabel does. NaN or infinite values cannot be stored in an integer type.
   */
  static double[] scalingFor(float[] data, NiftiDataType t) {
    if (!t.isInteger()) {
      return new double[] {1, 0};
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    boolean integral = true;
    for (float f : data) {
      if (!Float.isFinite(f)) {
        throw new BadArgumentException("writing " + t.label() + ": expected finite values, found "
            + f + "; write float32 instead");
      }
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
      integral &= f == Math.rint(f);
    }
    if (data.length == 0 || (integral && lo >= t.min && hi <= t.max)) {
      return new double[] {1, 0};
    }
    if (hi == lo) {
      return new double[] {1, lo};
    }
    double slope = (hi - lo) / (t.max - t.min);
    double inter = lo - t.min * slope;
    return new double[] {slope, inter};
  }

  private static void writeValues(OutputStream out, float[] data, NiftiHeader h)
      throws IOException {
    NiftiDataType t = h.datatype;
    int perChunk = CHUNK / t.bytes;
    ByteBuffer buf = ByteBuffer.allocate(perChunk * t.bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off < data.length; off += perChunk) {
      int n = Math.min(perChunk, data.length - off);
      buf.clear();
      ValueCodec.encode(data, off, n, t, h.sclSlope, h.sclInter, buf);
      out.write(buf.array(), 0, buf.position());
    }
  }

  private static OutputStream open(Path tmp, boolean gzip) throws IOException {
    OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
    return gzip ? gzip(raw) : raw;
  }

  /**
   * A gzip stream at compression level 1, nibabel's default: on noisy float data it is several
   * times faster than level 6 and the files are only slightly larger.
   */
  static OutputStream gzip(OutputStream raw) throws IOException {
    return new GZIPOutputStream(raw, 1 << 16) {
      {
        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
      }
    };
  }

  static boolean isGzName(Path file) {
    return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
  }
}
