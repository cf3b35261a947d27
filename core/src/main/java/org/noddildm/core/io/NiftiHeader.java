package org.noddildm.core.io;

import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Quaternion;

/**
 * The fields of a NIfTI-1 or NIfTI-2 header that carry meaning (nifti1.h, nifti2.h). NIfTI-1
 * stores them as 16-bit dims and 32-bit floats, NIfTI-2 as 64-bit dims and doubles; this class
 * holds the wider types. {@link NiftiCodec} turns it into and out of bytes.
 *
 * <p>Mutable on purpose, like the header it mirrors: readers fill it, writers adjust a copy.
 */
public final class NiftiHeader {
  /** Units codes of {@code xyzt_units}. */
  public static final int UNITS_METER = 1;
  public static final int UNITS_MM = 2;
  public static final int UNITS_MICRON = 3;
  public static final int UNITS_SEC = 8;
  public static final int UNITS_MSEC = 16;
  public static final int UNITS_USEC = 24;

  /** {@code qform_code}/{@code sform_code} values. */
  public static final int XFORM_UNKNOWN = 0;
  public static final int XFORM_SCANNER_ANAT = 1;
  public static final int XFORM_ALIGNED_ANAT = 2;
  public static final int XFORM_TALAIRACH = 3;
  public static final int XFORM_MNI_152 = 4;

  public int version = 1; // 1 or 2
  public boolean littleEndian = true;
  public long[] dim = {3, 1, 1, 1, 1, 1, 1, 1};
  public NiftiDataType datatype = NiftiDataType.FLOAT32;
  public double[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1}; // pixdim[0] is qfac
  public long voxOffset;
  public double sclSlope = 1;
  public double sclInter = 0;
  public double calMin;
  public double calMax;
  public double sliceDuration;
  public double toffset;
  public long sliceStart;
  public long sliceEnd;
  public int sliceCode;
  public int dimInfo;
  public int xyztUnits = UNITS_MM | UNITS_SEC;
  public int intentCode;
  public double intentP1;
  public double intentP2;
  public double intentP3;
  public String intentName = "";
  public String descrip = "";
  public String auxFile = "";
  public int qformCode;
  public int sformCode;
  public double quaternB;
  public double quaternC;
  public double quaternD;
  public double qoffsetX;
  public double qoffsetY;
  public double qoffsetZ;
  public double[][] srow = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};

  /** A deep copy. */
  public NiftiHeader copy() {
    NiftiHeader h = new NiftiHeader();
    h.version = version;
    h.littleEndian = littleEndian;
    h.dim = dim.clone();
    h.datatype = datatype;
    h.pixdim = pixdim.clone();
    h.voxOffset = voxOffset;
    h.sclSlope = sclSlope;
    h.sclInter = sclInter;
    h.calMin = calMin;
    h.calMax = calMax;
    h.sliceDuration = sliceDuration;
    h.toffset = toffset;
    h.sliceStart = sliceStart;
    h.sliceEnd = sliceEnd;
    h.sliceCode = sliceCode;
    h.dimInfo = dimInfo;
    h.xyztUnits = xyztUnits;
    h.intentCode = intentCode;
    h.intentP1 = intentP1;
    h.intentP2 = intentP2;
    h.intentP3 = intentP3;
    h.intentName = intentName;
    h.descrip = descrip;
    h.auxFile = auxFile;
    h.qformCode = qformCode;
    h.sformCode = sformCode;
    h.quaternB = quaternB;
    h.quaternC = quaternC;
    h.quaternD = quaternD;
    h.qoffsetX = qoffsetX;
    h.qoffsetY = qoffsetY;
    h.qoffsetZ = qoffsetZ;
    h.srow = new double[][] {srow[0].clone(), srow[1].clone(), srow[2].clone()};
    return h;
  }

  public int nx() {
    return (int) dim[1];
  }

  public int ny() {
    return dim[0] >= 2 ? (int) dim[2] : 1;
  }

  public int nz() {
    return dim[0] >= 3 ? (int) dim[3] : 1;
  }

  /** Volumes: the product of dims 4..dim[0] (a 5D vector image counts each component). */
  public long nt() {
    long n = 1;
    for (int d = 4; d <= dim[0]; d++) {
      n *= dim[d];
    }
    return n;
  }

  /** Number of values in the image. */
  public long voxelCount() {
    return (long) nx() * ny() * nz() * nt();
  }

  /** True when {@code scl_slope} asks for scaling (NIfTI: 0 or non-finite means none). */
  public boolean hasScaling() {
    return sclSlope != 0 && Double.isFinite(sclSlope)
        && !(sclSlope == 1 && (sclInter == 0 || !Double.isFinite(sclInter)));
  }

  /**
   * What this header holds that the standard does not define and that is read anyway, one
   * sentence each, for the user to see (nibabel refuses such files; nifti1_io, FSL and this
   * reader accept them as described):
   * <ul>
   *   <li>a quaternion (b, c, d) of length above 1 when the qform gives the affine: read as
   *       nifti1_io reads it, renormalised to a 180-degree rotation;</li>
   *   <li>a non-finite scl_inter with a scaling slope: read as 0;</li>
   *   <li>an sform or qform code outside 0..5: read as 0, as nibabel does.</li>
   * </ul>
   * (A vox_offset inside the header or its extension flag is refused when the header is
   * read.)
   */
  public java.util.List<String> warnings() {
    java.util.List<String> out = new java.util.ArrayList<>();
    double q = quaternB * quaternB + quaternC * quaternC + quaternD * quaternD;
    if ("qform".equals(affineSource()) && !(q <= 1 + 1e-6)) {
      out.add(String.format(java.util.Locale.ROOT, "quaternion (b, c, d) = (%.4g, %.4g, %.4g)"
          + " has length^2 %.4g > 1; read as nifti1_io reads it, renormalised to a 180-degree"
          + " rotation (nibabel refuses it); check the orientation", quaternB, quaternC,
          quaternD, q));
    }
    if (sformCode != 0 && !isValidCode(sformCode)) {
      out.add(invalidCode("sform_code", sformCode));
    }
    if (qformCode != 0 && !isValidCode(qformCode)) {
      out.add(invalidCode("qform_code", qformCode));
    }
    if (sclSlope != 0 && Double.isFinite(sclSlope) && !Double.isFinite(sclInter)) {
      out.add("scl_inter is " + sclInter + " with scl_slope " + sclSlope + "; read as 0");
    }
    return out;
  }

  /**
   * Whether an sform or qform code names a space (1 scanner ... 4 MNI-152, 5 another template):
   * codes outside 0..5 are read as 0, unknown, as nibabel reads them, so that the transform they
   * stand beside is not used.
   */
  public static boolean isValidCode(int code) {
    return code >= XFORM_SCANNER_ANAT && code <= 5;
  }

  private static String invalidCode(String field, int code) {
    return field + " " + code + " is not a NIfTI code (0-5); read as 0, so its transform is not"
        + " used (as nibabel does)";
  }

  /** The sform matrix, whatever its code. */
  public Affine sformAffine() {
    return Affine.of(srow);
  }

  /**
   * The qform matrix built from the quaternion, offsets, pixdim and qfac (nifti1.h method 2),
   * whatever its code.
   */
  public Affine qformAffine() {
    double b = quaternB;
    double c = quaternC;
    double d = quaternD;
    double a2 = 1.0 - (b * b + c * c + d * d);
    double a;
    if (a2 < 1e-7) {
      // Nearly a 180 degree rotation: renormalise (b, c, d) as nifti1_io does.
      double s = 1.0 / Math.sqrt(b * b + c * c + d * d);
      b *= s;
      c *= s;
      d *= s;
      a = 0;
    } else {
      a = Math.sqrt(a2);
    }
    double qfac = pixdim[0] < 0 ? -1 : 1;
    double dx = Math.abs(pixdim[1]);
    double dy = Math.abs(pixdim[2]);
    double dz = Math.abs(pixdim[3]) * qfac;
    dx = dx == 0 ? 1 : dx;
    dy = dy == 0 ? 1 : dy;
    dz = dz == 0 ? qfac : dz;
    double[][] r = {
      {a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
      {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
      {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}
    };
    double[] scale = {dx, dy, dz};
    double[] offset = {qoffsetX, qoffsetY, qoffsetZ};
    double[][] m = new double[3][4];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        m[i][j] = r[i][j] * scale[j];
      }
      m[i][3] = offset[i];
    }
    return Affine.of(m);
  }

  /**
   * The voxel-to-world affine the way nibabel and FSL choose it: the sform when its code is
   * positive, else the qform when its code is positive, else scaling by pixdim with the origin
   * at voxel 0 (nifti1.h method 1; nibabel instead centres and flips x in this last case).
   */
  public Affine affine() {
    if (isValidCode(sformCode)) {
      return sformAffine();
    }
    if (isValidCode(qformCode)) {
      return qformAffine();
    }
    return Affine.scaling(nonZero(pixdim[1]), nonZero(pixdim[2]), nonZero(pixdim[3]));
  }

  /** Which transform {@link #affine()} used: "sform", "qform" or "pixdim". */
  public String affineSource() {
    return isValidCode(sformCode) ? "sform" : isValidCode(qformCode) ? "qform" : "pixdim";
  }

  private static double nonZero(double v) {
    return v == 0 || !Double.isFinite(v) ? 1 : Math.abs(v);
  }

  /**
   * Sets the sform to {@code a} with {@code sformCode}, and the qform to the closest rotation,
   * voxel sizes and qfac with {@code qformCode} (or code 0 when {@code a} has shear that a
   * quaternion cannot hold). pixdim[1..3] become the voxel sizes.
   */
  public void setAffine(Affine a, int sformCode, int qformCode) {
    double[][] m = a.toArray();
    for (int r = 0; r < 3; r++) {
      srow[r] = m[r].clone();
    }
    this.sformCode = sformCode;
    Quaternion q = Quaternion.fromAffine(a);
    quaternB = q.b();
    quaternC = q.c();
    quaternD = q.d();
    qoffsetX = m[0][3];
    qoffsetY = m[1][3];
    qoffsetZ = m[2][3];
    pixdim[0] = q.qfac();
    pixdim[1] = q.dx();
    pixdim[2] = q.dy();
    pixdim[3] = q.dz();
    this.qformCode = q.exact() ? qformCode : XFORM_UNKNOWN;
  }

  /** Spatial unit name of {@code xyzt_units}: "mm", "m", "um" or "unknown". */
  public String spatialUnits() {
    switch (xyztUnits & 0x07) {
      case UNITS_METER:
        return "m";
      case UNITS_MM:
        return "mm";
      case UNITS_MICRON:
        return "um";
      default:
        return "unknown";
    }
  }

  /** Time unit name of {@code xyzt_units}: "s", "ms", "us" or "unknown". */
  public String timeUnits() {
    switch (xyztUnits & 0x38) {
      case UNITS_SEC:
        return "s";
      case UNITS_MSEC:
        return "ms";
      case UNITS_USEC:
        return "us";
      default:
        return "unknown";
    }
  }

  /** Name of a qform/sform code as nibabel prints it. */
  public static String xformName(int code) {
    switch (code) {
      case XFORM_UNKNOWN:
        return "unknown";
      case XFORM_SCANNER_ANAT:
        return "scanner";
      case XFORM_ALIGNED_ANAT:
        return "aligned";
      case XFORM_TALAIRACH:
        return "talairach";
      case XFORM_MNI_152:
        return "mni";
      default:
        return "code " + code;
    }
  }
}
