package org.noddildm.core.fit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * The one entry point of voxel-wise fitting ({@code noddi fit}, the demo's classic baseline): a
 * {@link VoxelModel} (NODDI or DTI) fitted in every voxel of a brain mask of a DWI that is read
 * slab by slab, so that at most {@link #SLAB_VALUES} DWI values are in memory at once. Voxels
 * outside the mask, or not fittable, get the fill value.
 */
public final class Fitter {
  /** Largest number of DWI values held at once (1 GiB of floats). */
  public static final long SLAB_VALUES = 1L << 28;

  private Fitter() {}

  /**
   * The maps of {@code model} (one volume per output, in the model's order) and the voxel
   * counts.
   *
   * @param progress receives the number of voxels fitted since its last call, or null
   */
  public static VoxelMapper.Result fit(NiftiReader reader, GradientTable table, Mask brain,
      VoxelModel model, VoxelMapper.Fill fill, LongConsumer progress) throws IOException {
    Grid grid = reader.grid();
    table.requireVolumes(reader.volumeCount());
    if (model instanceof NoddiModel nm) {
      nm.prepare();
    }
    List<float[]> maps = new ArrayList<>();
    for (VoxelModel.Output o : model.outputs()) {
      maps.add(new float[grid.size() * o.components()]);
    }
    int plane = grid.nx() * grid.ny();
    int nt = reader.volumeCount();
    int slab = (int) Math.max(1, Math.min(grid.nz(), SLAB_VALUES / ((long) plane * nt)));
    VoxelMapper.Counts total = VoxelMapper.Counts.none();
    for (int z0 = 0; z0 < grid.nz(); z0 += slab) {
      int z1 = Math.min(grid.nz(), z0 + slab);
      boolean[] inSlab = new boolean[plane * (z1 - z0)];
      boolean any = false;
      for (int i = 0; i < inSlab.length; i++) {
        inSlab[i] = brain.contains(z0 * plane + i);
        any |= inSlab[i];
      }
      if (!any) {
        fillSlab(maps, grid, model, fill, z0, z1);
        total = total.plus(new VoxelMapper.Counts(inSlab.length, inSlab.length, 0, 0, 0, 0));
        continue;
      }
      Volume data = reader.readSlab(z0, z1);
      VoxelMapper.Result r = VoxelMapper.map(data, new Mask(data.grid(), inSlab),
          table.b0Indices(), model, fill, progress);
      total = total.plus(r.counts());
      for (int o = 0; o < maps.size(); o++) {
        Volume part = r.maps().get(o);
        int n = part.grid().size();
        for (int c = 0; c < part.nt(); c++) {
          System.arraycopy(part.data(), c * n, maps.get(o), c * grid.size() + z0 * plane, n);
        }
      }
    }
    List<Volume> out = new ArrayList<>();
    for (int o = 0; o < maps.size(); o++) {
      out.add(new Volume(grid, model.outputs().get(o).components(), maps.get(o)));
    }
    return new VoxelMapper.Result(out, total);
  }

  /**
   * The automatic brain mask of a DWI read volume by volume: median Otsu of its mean b0
   * ({@link BrainMask#automatic(Volume)}).
   */
  public static Mask automaticMask(NiftiReader reader, GradientTable table) throws IOException {
    int[] b0 = BrainMask.requireB0(table);
    Grid grid = reader.grid();
    float[] mean = new float[grid.size()];
    for (int t : b0) {
      Volume v = reader.readVolume(t);
      for (int i = 0; i < mean.length; i++) {
        mean[i] += v.at(i, 0) / b0.length;
      }
    }
    return BrainMask.automatic(Volume.of(grid, mean));
  }

  private static void fillSlab(List<float[]> maps, Grid grid, VoxelModel m,
      VoxelMapper.Fill fill, int z0, int z1) {
    int plane = grid.nx() * grid.ny();
    for (int o = 0; o < maps.size(); o++) {
      for (int c = 0; c < m.outputs().get(o).components(); c++) {
        int base = c * grid.size();
        Arrays.fill(maps.get(o), base + z0 * plane, base + z1 * plane, fill.value());
      }
    }
  }
}
