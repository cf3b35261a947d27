package org.noddildm.app.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.noddildm.app.Main;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * A marker in the left hemisphere (world x < 0), anterior (y > 0) and superior (z > 0) shows up
 * on the correct side of every plane, whatever the storage order of the voxels.
 */
class ViewOrientationTest {
  private static final int NX = 20;
  private static final int NY = 24;
  private static final int NZ = 16;
  /** The marker's world position in mm: left, anterior, superior. */
  private static final double[] MARKER = {-12, 9, 5};

  static Stream<Arguments> storages() {
    return Stream.of(
        Arguments.of("RAS", Affine.of(new double[][] {
            {2, 0, 0, -20}, {0, 2, 0, -24}, {0, 0, 2, -16}})),
        Arguments.of("LAS", Affine.of(new double[][] {
            {-2, 0, 0, 20}, {0, 2, 0, -24}, {0, 0, 2, -16}})),
        Arguments.of("LPS", Affine.of(new double[][] {
            {-2, 0, 0, 20}, {0, -2, 0, 24}, {0, 0, 2, -16}})),
        Arguments.of("PIL", Affine.of(new double[][] { // permuted axes, all flipped
            {0, 0, -2, 20}, {-2, 0, 0, 24}, {0, -2, 0, 16}})));
  }

  /** A volume whose only non-zero voxel lies nearest the marker's world position. */
  private static Volume withMarker(Affine a) {
    int[] dims = dimsFor(a);
    Volume v = Volume.zeros(new Grid(dims[0], dims[1], dims[2], a), 1);
    double[] p = a.inverse().apply(MARKER[0], MARKER[1], MARKER[2]);
    v.set((int) Math.round(p[0]), (int) Math.round(p[1]), (int) Math.round(p[2]), 0, 1f);
    return v;
  }

  /** Voxel counts so that every storage covers the same 40 x 48 x 32 mm box. */
  private static int[] dimsFor(Affine a) {
    int[] worldN = {NX, NY, NZ};
    int[] dims = new int[3];
    for (int c = 0; c < 3; c++) {
      for (int r = 0; r < 3; r++) {
        if (a.get(r, c) != 0) {
          dims[c] = worldN[r];
        }
      }
    }
    return dims;
  }

  private static int[] markerVoxel(Volume v) {
    for (int z = 0; z < v.nz(); z++) {
      for (int y = 0; y < v.ny(); y++) {
        for (int x = 0; x < v.nx(); x++) {
          if (v.get(x, y, z) > 0) {
            return new int[] {x, y, z};
          }
        }
      }
    }
    throw new AssertionError("no marker");
  }

  /** Column and row of the single non-zero pixel of a slice. */
  private static int[] find(Plane.Slice s) {
    for (int row = 0; row < s.height(); row++) {
      for (int col = 0; col < s.width(); col++) {
        if (s.get(col, row) > 0) {
          return new int[] {col, row};
        }
      }
    }
    throw new AssertionError("marker not in slice");
  }

  @ParameterizedTest(name = "{0} storage")
  @MethodSource("storages")
  void leftHemisphereMarkerIsOnTheLeftInNeurologicalAndRightInRadiological(String name,
      Affine a) {
    Volume v = withMarker(a);
    assertEquals(name, a.axisCodes());
    DisplayOrientation o = new DisplayOrientation(v.grid());
    int[] vox = markerVoxel(v);
    for (Plane p : new Plane[] {Plane.AXIAL, Plane.CORONAL}) {
      int index = o.displayIndex(p.fixed, vox);
      Plane.Slice neuro = p.cut(v, 0, o, index, false);
      Plane.Slice radio = p.cut(v, 0, o, index, true);
      assertTrue(find(neuro)[0] < neuro.width() / 2, p + " neurological: marker on the left");
      assertTrue(find(radio)[0] >= radio.width() / 2, p + " radiological: marker on the right");
      assertEquals("L", neuro.leftLabel());
      assertEquals("R", radio.leftLabel());
    }
    Plane.Slice axial = Plane.AXIAL.cut(v, 0, o, o.displayIndex(2, vox), false);
    assertTrue(find(axial)[1] < axial.height() / 2, "axial: anterior marker in the top half");
    Plane.Slice coronal = Plane.CORONAL.cut(v, 0, o, o.displayIndex(1, vox), false);
    assertTrue(find(coronal)[1] < coronal.height() / 2, "coronal: superior marker at the top");
    Plane.Slice sagittal = Plane.SAGITTAL.cut(v, 0, o, o.displayIndex(0, vox), false);
    int[] s = find(sagittal);
    assertTrue(s[0] < sagittal.width() / 2, "sagittal: anterior marker on the left");
    assertTrue(s[1] < sagittal.height() / 2, "sagittal: superior marker at the top");
    assertEquals(20, axial.width()); // 40 mm of L-R at 2 mm in every storage
    assertEquals(24, axial.height());
  }

  @Test
  void viewWritesATriPlanarPngWithTheMarkerLeftOfCentreInTheAxialPanel(@TempDir Path dir)
      throws Exception {
    Affine las = Affine.of(new double[][] {{-2, 0, 0, 20}, {0, 2, 0, -24}, {0, 0, 2, -16}});
    Volume v = withMarker(las);
    Path nii = dir.resolve("marker.nii.gz");
    NiftiWriter.write(nii, v);
    int[] vox = markerVoxel(NiftiReader.read(nii).volume());
    Path png = dir.resolve("view.png");
    int code = Main.newCommandLine().execute("view", nii.toString(), "--out", png.toString(),
        "--slice", vox[0] + "," + vox[1] + "," + vox[2], "--display-range", "0,1", "--colormap", "gray",
        "--panel-px", "96");
    assertEquals(0, code);
    BufferedImage img = ImageIO.read(png.toFile());
    // The axial panel is the first: 96 px wide (40 mm of 48 mm longest side -> 80 px) after
    // the margins; the marker (white) must be in its left half.
    int x0 = TriPlanarFigure.MARGIN * 2;
    int y0 = TriPlanarFigure.HEADER + TriPlanarFigure.MARGIN;
    int panelW = 80;
    int panelH = 96;
    int whiteLeft = 0;
    int whiteRight = 0;
    for (int y = y0; y < y0 + panelH; y++) {
      for (int x = x0; x < x0 + panelW; x++) {
        if ((img.getRGB(x, y) & 0xffffff) == 0xffffff) {
          if (x < x0 + panelW / 2) {
            whiteLeft++;
          } else {
            whiteRight++;
          }
        }
      }
    }
    assertTrue(whiteLeft >= 4 && whiteRight == 0,
        "marker pixels left/right of the axial centre: " + whiteLeft + "/" + whiteRight);
  }
}
