package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.noddildm.core.testing.TestVolumes;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

class NiftiRoundTripTest {
  @TempDir Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (NiftiDataType t : NiftiDataType.values()) {
      for (int version : new int[] {1, 2}) {
        for (boolean gz : new boolean[] {false, true}) {
          for (int nt : new int[] {1, 3}) {
            out.add(Arguments.of(t, version, gz, nt));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} NIfTI-{1} gz={2} nt={3}")
  @MethodSource("cases")
  void roundTripPreservesVoxelsAffineTypeAndHeaderFields(NiftiDataType type, int version,
      boolean gz, int nt) throws Exception {
    Grid g = new Grid(5, 4, 3, TestVolumes.obliqueAffine());
    Volume v = TestVolumes.random(g, nt, type, 42 + type.code);
    NiftiHeader ref = new NiftiHeader();
    ref.intentCode = 1007; // NIFTI_INTENT_VECTOR, arbitrary but meaningful
    ref.intentName = "test";
    ref.xyztUnits = NiftiHeader.UNITS_MM | NiftiHeader.UNITS_MSEC;
    ref.sformCode = NiftiHeader.XFORM_ALIGNED_ANAT;
    ref.qformCode = NiftiHeader.XFORM_SCANNER_ANAT;
    ref.dim = new long[] {4, 5, 4, 3, nt, 1, 1, 1};
    ref.pixdim[4] = 2.5;
    Path file = dir.resolve("img" + (gz ? ".nii.gz" : ".nii"));
    NiftiWriter.write(file, v, new NiftiWriter.Options(version, type, ref, "round trip"));

    NiftiImage back = NiftiReader.read(file);
    NiftiHeader h = back.header();
    assertEquals(version, h.version);
    assertEquals(type, h.datatype);
    assertArrayEquals(v.data(), back.volume().data(), 0f);
    assertEquals(nt, back.volume().nt());
    assertTrue(back.volume().grid().affine().approxEquals(g.affine(), 1e-5),
        () -> "affine\n" + back.volume().grid().affine() + "expected\n" + g.affine());
    assertTrue(h.qformAffine().approxEquals(g.affine(), 1e-4), "qform matches the sform");
    assertEquals("round trip", h.descrip);
    assertEquals("test", h.intentName);
    assertEquals(1007, h.intentCode);
    assertEquals(NiftiHeader.UNITS_MM | NiftiHeader.UNITS_MSEC, h.xyztUnits);
    assertEquals(NiftiHeader.XFORM_ALIGNED_ANAT, h.sformCode);
    assertEquals(NiftiHeader.XFORM_SCANNER_ANAT, h.qformCode);
    assertEquals(nt > 1 ? 2.5 : 1.0, h.pixdim[4], 1e-6);
    assertEquals(gz, NiftiReader.isGzip(file));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file left beside the output");
    }
  }

  @Test
  void integerTypesGetScalingWhenValuesDoNotFit() throws Exception {
    Grid g = Grid.of(4, 4, 4, 2.0);
    float[] d = new float[g.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (0.013 * i - 0.3);
    }
    Path file = dir.resolve("scaled.nii");
    NiftiWriter.write(file, Volume.of(g, d),
        NiftiWriter.Options.defaults().withType(NiftiDataType.INT16));
    NiftiImage back = NiftiReader.read(file);
    assertTrue(back.header().hasScaling());
    double step = back.header().sclSlope;
    assertTrue(step < 1e-4, "slope spreads the range over int16, found " + step);
    for (int i = 0; i < d.length; i++) {
      assertEquals(d[i], back.volume().data()[i], step);
    }
  }

  @Test
  void bigEndianFilesReadLikeLittleEndian() throws Exception {
    Grid g = new Grid(3, 2, 2, TestVolumes.obliqueAffine());
    for (NiftiDataType t : NiftiDataType.values()) {
      Volume v = TestVolumes.random(g, 2, t, 7);
      NiftiHeader h = NiftiWriter.buildHeader(v, NiftiWriter.Options.defaults().withType(t));
      h.littleEndian = false;
      java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(v.data().length * t.bytes)
          .order(java.nio.ByteOrder.BIG_ENDIAN);
      ValueCodec.encode(v.data(), 0, v.data().length, t, 1, 0, data);
      Path file = dir.resolve("be-" + t.label() + ".nii");
      try (var out = Files.newOutputStream(file)) {
        out.write(NiftiCodec.encode(h));
        out.write(data.array());
      }
      NiftiImage back = NiftiReader.read(file);
      assertEquals(false, back.header().littleEndian);
      assertArrayEquals(v.data(), back.volume().data(), 0f, t.label());
    }
  }

  @Test
  void volumesAndSlabsMatchTheWholeImage() throws Exception {
    Grid g = new Grid(6, 5, 4, TestVolumes.obliqueAffine());
    Volume v = TestVolumes.random(g, 3, NiftiDataType.FLOAT32, 3);
    for (String name : new String[] {"a.nii", "a.nii.gz"}) {
      Path file = dir.resolve(name);
      NiftiWriter.write(file, v);
      try (NiftiReader r = NiftiReader.open(file)) {
        for (int t = 0; t < 3; t++) {
          assertArrayEquals(v.volume(t).data(), r.readVolume(t).data(), 0f);
        }
        Volume slab = r.readSlab(1, 3);
        assertEquals(2, slab.nz());
        for (int t = 0; t < 3; t++) {
          for (int z = 0; z < 2; z++) {
            for (int y = 0; y < 5; y++) {
              for (int x = 0; x < 6; x++) {
                assertEquals(v.get(x, y, z + 1, t), slab.get(x, y, z, t));
              }
            }
          }
        }
        double[] w1 = slab.grid().affine().apply(2, 3, 0);
        double[] w0 = r.grid().affine().apply(2, 3, 1);
        assertArrayEquals(w0, w1, 1e-9, "a slab keeps its place in world space");
        int[] seen = {0};
        r.forEachVolume((t, vol) -> {
          assertArrayEquals(v.volume(t).data(), vol.data(), 0f);
          seen[0]++;
        });
        assertEquals(3, seen[0]);
      }
    }
  }

  @Test
  void qformOnlyAndPixdimOnlyAffinesFollowTheNiftiRules() throws Exception {
    Volume v = TestVolumes.random(Grid.of(3, 3, 3, 1), 1, NiftiDataType.FLOAT32, 1);
    NiftiHeader h = NiftiWriter.buildHeader(new Volume(
        new Grid(3, 3, 3, TestVolumes.obliqueAffine()), 1, v.data()),
        NiftiWriter.Options.defaults());
    h.sformCode = 0;
    h.srow = new double[][] {{9, 0, 0, 0}, {0, 9, 0, 0}, {0, 0, 9, 0}};
    assertTrue(h.affine().approxEquals(TestVolumes.obliqueAffine(), 1e-6), "qform used");
    assertEquals("qform", h.affineSource());
    h.qformCode = 0;
    assertEquals(Affine.scaling(1.25, 1.5, 2.0).toString(), h.affine().toString());
    assertEquals("pixdim", h.affineSource());
  }

  @Test
  void streamWriterWritesVolumeByVolumeAndLeavesNothingWhenNotCommitted() throws Exception {
    Grid g = new Grid(4, 3, 2, TestVolumes.obliqueAffine());
    Volume v = TestVolumes.random(g, 3, NiftiDataType.INT16, 4);
    Path file = dir.resolve("stream.nii.gz");
    try (NiftiStreamWriter w = new NiftiStreamWriter(file, g, 3,
        NiftiWriter.Options.defaults().withType(NiftiDataType.INT16))) {
      for (int t = 0; t < 3; t++) {
        w.write(v.volume(t));
      }
      w.commit();
    }
    assertArrayEquals(v.data(), NiftiReader.read(file).volume().data(), 0f);
    Path partial = dir.resolve("partial.nii");
    try (NiftiStreamWriter w = new NiftiStreamWriter(partial, g, 3,
        NiftiWriter.Options.defaults())) {
      w.write(v.volume(0));
    }
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "an uncommitted stream leaves no file");
    }
  }

  @Test
  void outputsAreReadableByOthersNotPrivateTemporaryFiles() throws Exception {
    Path file = dir.resolve("shared.nii.gz");
    NiftiWriter.write(file, TestVolumes.random(Grid.of(2, 2, 2, 1), 1, NiftiDataType.FLOAT32, 1));
    var perms = Files.getPosixFilePermissions(file);
    assertTrue(perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)
        || perms.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ),
        "expected the umask's permissions, found " + perms);
  }
}
