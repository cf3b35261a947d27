package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.testing.ExternalTools;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VoxelOrder;

/**
 * MRtrix images as MRtrix writes them: {@code mrconvert} turns a NIfTI scan with FSL gradients
 * into {@code .mif}, {@code .mif.gz} and a {@code .mif} stored in another voxel order; each reads
 * back as the same scan in the same place, and its {@code dw_scheme} as the same gradients.
 */
class MifReaderTest {
  /**
   * An oblique 7 x 6 x 5 x 7 scan with random values, left-handed (LAS-like, FSL's bvecs as
   * stored) or right-handed (RAS-like, FSL's bvecs with x negated).
   */
  private static Path scan(Path dir, boolean leftHanded) throws Exception {
    double c = Math.cos(0.2);
    double s = Math.sin(0.2);
    double h = leftHanded ? -1 : 1;
    Grid g = new Grid(7, 6, 5, Affine.of(new double[][] {{2 * h * c, -2 * h * s, 0, 30},
        {2 * s, 2 * c, 0, -20}, {0, 0, 2.5, 10}, {0, 0, 0, 1}}));
    Random r = new Random(4);
    float[] data = new float[g.size() * 7];
    for (int i = 0; i < data.length; i++) {
      data[i] = 100 * r.nextFloat();
    }
    NiftiWriter.write(dir.resolve("dwi.nii"), new Volume(g, 7, data));
    double[] b = {0, 1000, 1000, 1000, 2000, 2000, 2000};
    double[][] v = {{0, 0, 0}, {1, 0, 0}, {0, 0.6, 0.8}, {0.48, 0.6, 0.64}, {0, 1, 0},
        {-0.8, 0, 0.6}, {0.6, -0.64, 0.48}};
    GradientIO.writeFsl(GradientTable.of(b, v), dir.resolve("dwi.bval"), dir.resolve("dwi.bvec"));
    return dir.resolve("dwi.nii");
  }

  @Test
  void mrconvertsMifReadsAsTheSameScanAndGradients(@TempDir Path tmp) throws Exception {
    ExternalTools.requireCommand("mrconvert");
    for (boolean left : new boolean[] {true, false}) {
      compare(Files.createDirectories(tmp.resolve(left ? "left" : "right")), left);
    }
  }

  private static void compare(Path tmp, boolean leftHanded) throws Exception {
    Path nii = scan(tmp, leftHanded);
    NiftiImage ref = NiftiReader.read(nii);
    GradientTable refTable = GradientIO.readFsl(tmp.resolve("dwi.bval"),
        tmp.resolve("dwi.bvec"));
    VoxelOrder refOrder = VoxelOrder.toCanonical(ref.volume().grid());
    Volume refCanon = refOrder.toCanonical(ref.volume());
    double[][] refDirs = refTable.inCanonicalOrder(refOrder).bvecs();
    String[][] variants = {{"plain.mif"}, {"packed.mif.gz"}, {"reordered.mif", "-strides",
        "-2,3,1,4"}, {"int16.mif", "-datatype", "int16be"}};
    for (String[] variant : variants) {
      Path mif = tmp.resolve(variant[0]);
      String[] cmd = new String[7 + variant.length - 1];
      String[] head = {"mrconvert", "-quiet", nii.toString(), "-fslgrad",
          tmp.resolve("dwi.bvec").toString(), tmp.resolve("dwi.bval").toString(),
          mif.toString()};
      System.arraycopy(head, 0, cmd, 0, head.length);
      System.arraycopy(variant, 1, cmd, head.length, variant.length - 1);
      ExternalTools.command(cmd);
      MifReader.MifImage m = MifReader.read(mif);
      Volume v = m.image().volume();
      VoxelOrder order = VoxelOrder.toCanonical(v.grid());
      Volume canon = order.toCanonical(v);
      assertTrue(canon.grid().affine().approxEquals(refCanon.grid().affine(), 1e-4),
          variant[0] + ": " + canon.grid().affine() + " vs " + refCanon.grid().affine());
      float[] a = canon.data();
      float[] e = refCanon.data();
      // mrconvert rounds to whole numbers for int16 (no scaling asked for)
      double tol = variant[0].startsWith("int16") ? 0.5 + 1e-4 : 1e-4;
      for (int i = 0; i < e.length; i++) {
        assertEquals(e[i], a[i], tol, variant[0] + " value " + i);
      }
      assertNotNull(m.dwScheme(), variant[0] + " has its dw_scheme");
      GradientTable t = GradientIO.fromScanner(m.dwScheme(), v.grid().affine(), mif);
      assertArrayEquals(refTable.bvals(), t.bvals(), 1e-6, variant[0]);
      double[][] dirs = t.inCanonicalOrder(order).bvecs();
      for (int i = 0; i < dirs.length; i++) {
        assertArrayEquals(refDirs[i], dirs[i], 1e-4, variant[0] + " direction " + i);
      }
    }
  }

  @Test
  void aNiftiATruncatedMifAndAMifWhereNiftiIsReadAreNamedAsSuch(@TempDir Path tmp)
      throws Exception {
    Path nii = scan(tmp, true);
    Path renamed = Files.copy(nii, tmp.resolve("fake.mif"));
    BadFileException e = assertThrows(BadFileException.class, () -> MifReader.read(renamed));
    assertTrue(e.getMessage().contains("expected a MRtrix image starting 'mrtrix image'"),
        e.getMessage());
    Path cut = tmp.resolve("cut.mif");
    Files.writeString(cut, "mrtrix image\ndim: 2,2,2\nvox: 1,1,1\nlayout: +0,+1,+2\n"
        + "datatype: Float32LE\ntransform: 1,0,0,0\ntransform: 0,1,0,0\ntransform: 0,0,1,0\n"
        + "file: . 200\nEND\n");
    byte[] head = Files.readAllBytes(cut);
    byte[] all = new byte[200 + 12];
    System.arraycopy(head, 0, all, 0, head.length);
    Files.write(cut, all);
    e = assertThrows(BadFileException.class, () -> MifReader.read(cut));
    assertTrue(e.getMessage().contains("expected 32 bytes of image data, found 12"),
        e.getMessage());
    // where only NIfTI is read, an MRtrix image is named as one, not as a bad sizeof_hdr
    e = assertThrows(BadFileException.class, () -> NiftiReader.read(cut));
    assertTrue(e.getMessage().contains("found an MRtrix image"), e.getMessage());
  }
}
