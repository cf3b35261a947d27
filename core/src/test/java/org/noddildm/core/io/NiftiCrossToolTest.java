package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.testing.ExternalTools;
import org.noddildm.core.testing.TestVolumes;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/** Files written by nibabel and MRtrix read right here, and files written here read right there. */
class NiftiCrossToolTest {
  @TempDir Path dir;

  /** nibabel writes one file per case plus the float64 data and the affine it means. */
  private static final String NIBABEL_WRITES = String.join("\n",
      "import sys, numpy as np, nibabel as nib",
      "out = sys.argv[1]",
      "rng = np.random.default_rng(3)",
      "aff = np.array([[-1.1, 0.2, 0.0, 90.0], [0.15, 1.2, -0.1, -126.0],"
          + " [0.0, 0.1, 2.5, -72.0], [0, 0, 0, 1]])",
      "cases = []",
      "for dt in ['uint8','int8','int16','uint16','int32','uint32','int64','float32','float64']:",
      "    info = np.iinfo(dt) if dt[0] in 'ui' else None",
      "    lo, hi = (max(info.min, -1000), min(info.max, 1000)) if info else (-1e3, 1e3)",
      "    data = rng.uniform(lo, hi, (5, 4, 3, 2))",
      "    data = np.round(data).astype(dt) if info else data.astype(dt)",
      "    cases.append((dt, data, nib.Nifti1Image, '.nii', None))",
      "cases.append(('scaled', rng.normal(size=(5, 4, 3)) * 100 + 7, nib.Nifti1Image,"
          + " '.nii.gz', 'int16'))",
      "cases.append(('nifti2', rng.normal(size=(5, 4, 3)).astype('float32'), nib.Nifti2Image,"
          + " '.nii', None))",
      "cases.append(('bigendian', rng.normal(size=(5, 4, 3)).astype('>f4'), nib.Nifti1Image,"
          + " '.nii', None))",
      "cases.append(('nifti2gz', rng.normal(size=(6, 5, 4, 3)).astype('float64'),"
          + " nib.Nifti2Image, '.nii.gz', None))",
      "for name, data, cls, ext, stored in cases:",
      "    img = cls(data, aff, dtype=stored or data.dtype)",
      "    if name == 'bigendian':",
      "        img = cls(data, aff, header=img.header.as_byteswapped('>'), dtype=data.dtype)",
      "    nib.save(img, out + '/' + name + ext)",
      "    back = nib.load(out + '/' + name + ext)",
      "    if stored:",
      "        assert back.dataobj.slope != 1, 'nibabel stored the data scaled'",
      "    back.get_fdata().astype('<f8').ravel(order='F').tofile(out + '/' + name + '.f64')",
      "    print(name + ext, ' '.join(repr(float(v)) for v in back.affine[:3].ravel()),"
          + " back.header.get_data_dtype().name)",
      "");

  @Test
  void readsWhatNibabelWrites() throws Exception {
    ExternalTools.requirePython("nibabel");
    String listing = ExternalTools.python(NIBABEL_WRITES, dir.toString());
    int cases = 0;
    for (String line : listing.strip().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      String file = parts[0];
      String base = file.substring(0, file.indexOf('.'));
      double[][] aff = new double[3][4];
      for (int i = 0; i < 12; i++) {
        aff[i / 4][i % 4] = Double.parseDouble(parts[1 + i]);
      }
      NiftiImage img = NiftiReader.read(dir.resolve(file));
      byte[] raw = Files.readAllBytes(dir.resolve(base + ".f64"));
      ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      float[] data = img.volume().data();
      assertEquals(raw.length / 8, data.length, file);
      for (int i = 0; i < data.length; i++) {
        double expected = bb.getDouble();
        assertEquals(expected, data[i], 1e-6 * Math.max(1, Math.abs(expected)), file + " @" + i);
      }
      assertTrue(img.volume().grid().affine().approxEquals(Affine.of(aff), 1e-5),
          file + ": affine\n" + img.volume().grid().affine());
      cases++;
    }
    assertEquals(13, cases);
  }

  private static final String NIBABEL_READS = String.join("\n",
      "import sys, numpy as np, nibabel as nib",
      "img = nib.load(sys.argv[1])",
      "h = img.header",
      "d = np.asarray(img.dataobj).astype('<f8')",
      "print(' '.join(str(s) for s in img.shape))",
      "print(' '.join(repr(float(v)) for v in img.affine[:3].ravel()))",
      "print(' '.join(repr(float(v)) for v in img.get_qform()[:3].ravel()))",
      "print(h.get_data_dtype().name, int(h['sform_code']), int(h['qform_code']),"
          + " ''.join(nib.aff2axcodes(img.affine)))",
      "print(repr(float(d.ravel(order='F')[0])), repr(float(d.sum())), repr(float(d.max())))",
      "");

  @Test
  void nibabelReadsWhatWeWrite() throws Exception {
    ExternalTools.requirePython("nibabel");
    Grid g = new Grid(7, 6, 5, TestVolumes.obliqueAffine());
    String[][] cases = {{"int16", "1", "a.nii"}, {"float32", "1", "b.nii.gz"},
        {"float64", "2", "c.nii.gz"}, {"uint8", "2", "d.nii"}, {"int32", "1", "e.nii.gz"}};
    for (String[] c : cases) {
      NiftiDataType t = NiftiDataType.parse(c[0]);
      Volume v = TestVolumes.random(g, 2, t, 11);
      Path f = dir.resolve(c[2]);
      NiftiWriter.write(f, v, NiftiWriter.Options.defaults().withType(t)
          .withVersion(Integer.parseInt(c[1])));
      String[] lines = ExternalTools.python(NIBABEL_READS, f.toString()).strip().split("\n");
      assertEquals("7 6 5 2", lines[0].trim(), c[2]);
      double[] affine = parse(lines[1]);
      double[] qform = parse(lines[2]);
      double[][] want = g.affine().toArray();
      for (int i = 0; i < 12; i++) {
        assertEquals(want[i / 4][i % 4], affine[i], 1e-5, c[2] + " sform entry " + i);
        assertEquals(want[i / 4][i % 4], qform[i], 1e-4, c[2] + " qform entry " + i);
      }
      String[] meta = lines[3].trim().split(" ");
      assertEquals(t.label(), meta[0]);
      assertEquals("1", meta[1]);
      assertEquals("1", meta[2]);
      assertEquals(g.affine().axisCodes(), meta[3], "axis codes agree with nibabel");
      double[] stats = parse(lines[4]);
      double sum = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (float x : v.data()) {
        sum += x;
        max = Math.max(max, x);
      }
      assertEquals(v.data()[0], stats[0], 0, c[2]);
      assertEquals(sum, stats[1], 1e-6 * Math.abs(sum) + 1e-6, c[2]);
      assertEquals(max, stats[2], 0, c[2]);
    }
  }

  @Test
  void mrtrixReadsWhatWeWrite() throws Exception {
    ExternalTools.requireCommand("mrinfo");
    Grid g = new Grid(7, 6, 5, TestVolumes.obliqueAffine());
    Path f = dir.resolve("m.nii.gz");
    NiftiWriter.write(f, TestVolumes.random(g, 3, NiftiDataType.FLOAT32, 2));
    String size = ExternalTools.command("mrinfo", "-quiet", "-size", f.toString()).trim();
    assertEquals("7 6 5 3", size);
    double[] spacing = parse(ExternalTools.command("mrinfo", "-quiet", "-spacing",
        f.toString()));
    assertArrayEquals(new double[] {1.25, 1.5, 2.0}, Arrays.copyOf(spacing, 3), 1e-4);
    double[] transform = parse(ExternalTools.command("mrinfo", "-quiet", "-transform",
        f.toString()).replace('\n', ' '));
    double[][] m = g.affine().toArray();
    double[] size3 = g.affine().voxelSizes();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        // MRtrix reports the rotation part without the voxel sizes.
        assertEquals(m[r][c] / size3[c], transform[4 * r + c], 1e-4, "rotation " + r + c);
      }
      assertEquals(m[r][3], transform[4 * r + 3], 1e-3, "offset " + r);
    }
  }

  @Test
  void weReadWhatMrtrixWrites() throws Exception {
    ExternalTools.requireCommand("mrconvert");
    Grid g = new Grid(6, 5, 4, TestVolumes.obliqueAffine());
    Volume v = TestVolumes.random(g, 2, NiftiDataType.FLOAT32, 9);
    Path src = dir.resolve("src.nii");
    NiftiWriter.write(src, v);
    Path out = dir.resolve("from-mrtrix.nii.gz");
    ExternalTools.command("mrconvert", "-quiet", "-datatype", "int16", src.toString(),
        out.toString());
    NiftiImage back = NiftiReader.read(out);
    assertEquals(NiftiDataType.INT16, back.header().datatype);
    assertTrue(back.volume().grid().affine().approxEquals(NiftiReader.read(src).volume().grid()
        .affine(), 1e-3), "affine\n" + back.volume().grid().affine());
    float[] a = v.data();
    float[] b = back.volume().data();
    double slope = back.header().hasScaling() ? back.header().sclSlope : 1;
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], slope * 0.51 + 1e-3, "voxel " + i);
    }
  }

  private static final String DIPY_REAL_DWI = String.join("\n",
      "import os, numpy as np, nibabel as nib, dipy.data",
      "base = os.path.join(os.path.dirname(dipy.data.__file__), 'files', 'small_64D')",
      "path = base + '.nii' if os.path.exists(base + '.nii') else base + '.nii.gz'",
      "img = nib.load(path)",
      "d = img.get_fdata()",
      "print(base)",
      "print(path)",
      "print(' '.join(str(s) for s in img.shape))",
      "print(' '.join(repr(float(v)) for v in img.affine[:3].ravel()))",
      "print(repr(float(d.sum())), repr(float(d.max())), repr(float(d[1, 2, 3, 4])))",
      "");

  @Test
  void readsARealScannerDwiShippedWithDipy() throws Exception {
    ExternalTools.requirePython("dipy");
    String[] lines = ExternalTools.python(DIPY_REAL_DWI).strip().split("\n");
    Path base = Path.of(lines[0].trim());
    NiftiImage img = NiftiReader.read(Path.of(lines[1].trim()));
    Volume v = img.volume();
    String shape = v.nx() + " " + v.ny() + " " + v.nz() + " " + v.nt();
    assertEquals(lines[2].trim(), shape);
    double[] aff = parse(lines[3]);
    double[][] m = v.grid().affine().toArray();
    for (int i = 0; i < 12; i++) {
      assertEquals(aff[i], m[i / 4][i % 4], 1e-5, "affine entry " + i);
    }
    double[] stats = parse(lines[4]);
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (float f : v.data()) {
      sum += f;
      max = Math.max(max, f);
    }
    assertEquals(stats[0], sum, 1e-9 * Math.abs(stats[0]));
    assertEquals(stats[1], max, 0);
    assertEquals(stats[2], v.get(1, 2, 3, 4), 0);
    GradientTable g = GradientIO.readFsl(Path.of(base + ".bval"), Path.of(base + ".bvec"));
    g.requireVolumes(v.nt());
    assertTrue(g.b0Indices().length >= 1);
    assertEquals("b0 x 1, b=994 x 64", g.summary(), "one shell of 64 around b = 1000");
    assertTrue(g.warnings().get(0).contains("NaN"), "the table's NaN b0 row is reported");
  }

  private static double[] parse(String line) {
    return Arrays.stream(line.trim().split("[\\s,]+")).mapToDouble(s -> Double.parseDouble(
        s.toLowerCase(Locale.ROOT))).toArray();
  }
}
