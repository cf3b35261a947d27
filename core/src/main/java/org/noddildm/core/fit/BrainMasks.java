package org.noddildm.core.fit;

import java.io.IOException;
import java.nio.file.Path;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * The one rule for a brain mask a user gives ({@code --mask} of predict, fit, evaluate, report
 * and the BIDS App): the file must lie on a grid the command expects, with the same size and
 * the same affine (a mask of the right size in another place is refused, not used voxel by
 * voxel), and its brain is its finite non-zero voxels, at least one. The automatic mask is
 * {@link BrainMask#automatic}.
 */
public final class BrainMasks {
  /** A grid a mask may lie on, and how to name it in a message ("the scan's grid"). */
  public record Target(String name, Grid grid) {}

  private BrainMasks() {}

  /** The brain of {@code file}, which must lie on {@code grid} (called {@code name}). */
  public static Mask read(Path file, String name, Grid grid) throws IOException {
    return read(file, new Target(name, grid));
  }

  /** The brain of {@code file}, on the first of {@code targets} whose grid it lies on. */
  public static Mask read(Path file, Target... targets) throws IOException {
    Volume v = NiftiReader.read(file).volume();
    StringBuilder expected = new StringBuilder();
    boolean sameSize = false;
    for (Target t : targets) {
      if (v.grid().sameAs(t.grid())) {
        return brain(file, v, t.grid());
      }
      sameSize |= v.grid().sameSize(t.grid());
      expected.append(expected.isEmpty() ? "" : " or ").append(t.name()).append(' ')
          .append(t.grid().shape());
    }
    throw new BadFileException(file, "expected a brain mask on " + expected + " with its affine,"
        + " found " + v.grid().shape() + (sameSize ? " with another affine" : ""));
  }

  /** The finite non-zero voxels of the first volume of {@code v} (from {@code file}) on {@code g}. */
  static Mask brain(Path file, Volume v, Grid g) {
    boolean[] in = new boolean[v.grid().size()];
    int count = 0;
    for (int i = 0; i < in.length; i++) {
      float x = v.at(i, 0);
      in[i] = Float.isFinite(x) && x != 0;
      count += in[i] ? 1 : 0;
    }
    if (count == 0) {
      throw new BadFileException(file, "expected a brain mask with brain voxels (finite,"
          + " non-zero), found none");
    }
    return new Mask(g, in);
  }
}
