package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * Headers that nibabel refuses and this reader accepts say so (issue 14): a quaternion longer
 * than 1 when the qform is used, and a non-finite scl_inter; a vox_offset inside the header is
 * refused.
 */
class NiftiHeaderWarningsTest {
  @TempDir Path dir;
  private final List<String> seen = new ArrayList<>();

  @AfterEach
  void quiet() {
    NiftiReader.setWarningSink(w -> { });
  }

  private Path patched(String name, java.util.function.Consumer<ByteBuffer> patch)
      throws Exception {
    Volume v = Volume.of(Grid.of(2, 2, 2, 1.5), new float[] {1, 2, 3, 4, 5, 6, 7, 8});
    Path f = dir.resolve(name);
    NiftiWriter.write(f, v);
    ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    patch.accept(bb);
    Files.write(f, bb.array());
    NiftiReader.setWarningSink(seen::add);
    return f;
  }

  @Test
  void aQuaternionLongerThanOneIsReadRenormalisedWithAWarning() throws Exception {
    Path f = patched("q.nii", bb -> {
      bb.putShort(252, (short) 1); // qform_code
      bb.putShort(254, (short) 0); // sform_code: the qform gives the affine
      bb.putFloat(256, 0.9f);
      bb.putFloat(260, 0.9f);
      bb.putFloat(264, 0f);
    });
    NiftiImage img = NiftiReader.read(f);
    NiftiReader.read(f); // read twice, warned once
    assertEquals(8, img.volume().grid().size());
    assertEquals(1, seen.size(), seen.toString());
    assertTrue(seen.get(0).startsWith("q.nii: quaternion (b, c, d) = (0.9000, 0.9000, 0.000)"
        + " has length^2 1.620 > 1; read as nifti1_io reads it"), seen.get(0));
    // nifti1_io's reading: (0.9, 0.9, 0) renormalised, a 180-degree turn about (1, 1, 0)/sqrt 2
    double[][] m = img.volume().grid().affine().toArray();
    assertEquals(0, m[0][0], 1e-6);
    assertEquals(1.5, m[0][1], 1e-6);
    assertEquals(1.5, m[1][0], 1e-6);
    assertEquals(-1.5, m[2][2], 1e-6);
  }

  @Test
  void theSameQuaternionBesideAnSformThatGivesTheAffineIsNotWarnedAbout() throws Exception {
    Path f = patched("s.nii", bb -> {
      bb.putShort(252, (short) 1);
      bb.putShort(254, (short) 1);
      bb.putFloat(256, 0.9f);
      bb.putFloat(260, 0.9f);
    });
    NiftiReader.read(f);
    assertEquals(List.of(), seen);
  }

  @Test
  void aNanSclInterIsReadAsZeroWithAWarning() throws Exception {
    Path f = patched("i.nii", bb -> {
      bb.putFloat(112, 2f); // scl_slope
      bb.putFloat(116, Float.NaN); // scl_inter
    });
    NiftiImage img = NiftiReader.read(f);
    assertEquals(16f, img.volume().at(7, 0), 0f);
    assertEquals(List.of("i.nii: scl_inter is NaN with scl_slope 2.0; read as 0"), seen);
  }

  @Test
  void aVoxOffsetInsideTheHeaderIsRefused() throws Exception {
    Path f = patched("o.nii", bb -> bb.putFloat(108, 350f));
    BadFileException e = assertThrows(BadFileException.class, () -> NiftiReader.read(f));
    assertTrue(e.getMessage().contains("expected vox_offset >= 352 (the 348-byte header and the"
        + " 4-byte extension flag), found 350"),
        e.getMessage());
  }

  @Test
  void anSformCodeOutsideTheStandardIsReadAsZeroWithAWarningAsNibabelDoes() throws Exception {
    Path f = patched("c.nii", bb -> {
      bb.putShort(252, (short) 0); // no qform: the pixdim scaling gives the affine
      bb.putShort(254, (short) 1536);
      bb.putFloat(280, 9f); // srow_x[0], which an sform that is used would make the x size
    });
    NiftiImage img = NiftiReader.read(f);
    assertEquals(1.5, img.volume().grid().affine().toArray()[0][0], 1e-9);
    assertEquals(List.of("c.nii: sform_code 1536 is not a NIfTI code (0-5); read as 0, so its"
        + " transform is not used (as nibabel does)"), seen);
  }

  @Test
  void aFloat64ValueBeyondTheFloat32RangeIsReadAsInfinityWithAWarning() throws Exception {
    Volume v = Volume.of(Grid.of(2, 2, 2, 1.5), new float[] {1, 2, 3, 4, 5, 6, 7, 8});
    Path f = dir.resolve("big.nii");
    NiftiWriter.write(f, v, NiftiWriter.Options.defaults().withType(NiftiDataType.FLOAT64));
    ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    bb.putDouble(352, -1e300); // the first voxel, as nibabel would read it: finite
    Files.write(f, bb.array());
    NiftiReader.setWarningSink(seen::add);
    NiftiImage img = NiftiReader.read(f);
    assertEquals(Float.NEGATIVE_INFINITY, img.volume().at(0, 0), 0f);
    assertEquals(2f, img.volume().at(1, 0), 0f);
    assertEquals(List.of("big.nii: values beyond the float32 range (|x| > 3.4e38 after scaling)"
        + " are read as +/-Inf, since noddi computes in float32"), seen);
  }
}
