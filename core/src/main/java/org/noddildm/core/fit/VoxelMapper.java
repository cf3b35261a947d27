package org.noddildm.core.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Parallel;
import org.noddildm.core.volume.Volume;

/**
 * Runs a {@link VoxelModel} over the masked voxels of a 4D DWI in parallel (dipy's
 * {@code multi_voxel_fit}), one output {@link Volume} per model output. Voxels outside the mask,
 * with a NaN or infinite value, with a mean b0 signal at or below zero, or that the model cannot
 * fit get the {@link Fill} value and are counted; nothing throws on them.
 */
public final class VoxelMapper {
  /** Voxels per work item: large enough to amortise scheduling, small enough to balance. */
  private static final int CHUNK = 512;

  private VoxelMapper() {}

  /** What unfitted voxels hold. */
  public enum Fill {
    ZERO(0f),
    NAN(Float.NaN);

    final float value;

    Fill(float value) {
      this.value = value;
    }

    public float value() {
      return value;
    }
  }

  /**
   * What happened to the voxels.
   *
   * @param voxels all voxels of the grid
   * @param outside outside the mask
   * @param fitted fitted successfully
   * @param nonFinite in the mask with a NaN or infinite value in some volume
   * @param noSignal in the mask with a mean b0 signal at or below zero
   * @param failed in the mask, finite, but the model could not fit them
   */
  public record Counts(long voxels, long outside, long fitted, long nonFinite, long noSignal,
      long failed) {
    /** The sum of two counts, e.g. over slabs. */
    public Counts plus(Counts o) {
      return new Counts(voxels + o.voxels, outside + o.outside, fitted + o.fitted,
          nonFinite + o.nonFinite, noSignal + o.noSignal, failed + o.failed);
    }

    public static Counts none() {
      return new Counts(0, 0, 0, 0, 0, 0);
    }

    /** "fitted 1234 of 1500 masked voxels; 3 NaN/Inf, 1 with b0 <= 0, 0 failed". */
    public String summary() {
      return fitted + " of " + (voxels - outside) + " masked voxels fitted; " + nonFinite
          + " with NaN/Inf, " + noSignal + " with mean b0 <= 0, " + failed + " failed";
    }
  }

  /** The output maps (one volume per model output, in order) and the counts. */
  public record Result(List<Volume> maps, Counts counts) {}

  /**
   * Fits every voxel of {@code dwi} inside {@code mask} (all voxels when null).
   *
   * @param b0Indices volumes whose mean must be positive for a voxel to be fitted (none: no check)
   * @param progress receives the number of voxels finished, from any thread; may be null
   */
  public static Result map(Volume dwi, Mask mask, int[] b0Indices, VoxelModel model, Fill fill,
      LongConsumer progress) {
    Grid grid = dwi.grid();
    int n = grid.size();
    BadArgumentException.require(mask == null || mask.grid().size() == n,
        "mask: expected " + grid.shape() + " voxels like the DWI, found "
            + (mask == null ? "" : mask.grid().shape()));
    int nt = dwi.nt();
    List<VoxelModel.Output> outputs = model.outputs();
    int outCount = model.outputCount();
    float[][] maps = new float[outputs.size()][];
    int[] mapOf = new int[outCount];
    int[] componentOf = new int[outCount];
    for (int o = 0, k = 0; o < outputs.size(); o++) {
      int comps = outputs.get(o).components();
      maps[o] = new float[n * comps];
      java.util.Arrays.fill(maps[o], fill.value);
      for (int c = 0; c < comps; c++, k++) {
        mapOf[k] = o;
        componentOf[k] = c;
      }
    }
    int[] inside = mask == null ? Mask.all(grid).indices() : mask.indices();
    float[] data = dwi.data();
    // 0 fitted, 1 nonFinite, 2 noSignal, 3 failed
    AtomicLongArray tally = new AtomicLongArray(4);
    ThreadLocal<VoxelFitter> fitters = ThreadLocal.withInitial(model::newFitter);
    Parallel.forChunks(inside.length, CHUNK, (start, end) -> {
      VoxelFitter fitter = fitters.get();
      double[] signal = new double[nt];
      double[] out = new double[outCount];
      long[] local = new long[4];
      for (int k = start; k < end; k++) {
        int i = inside[k];
        int status = fitVoxel(data, i, n, nt, b0Indices, fitter, signal, out);
        local[status]++;
        if (status == 0) {
          for (int q = 0; q < outCount; q++) {
            maps[mapOf[q]][i + componentOf[q] * n] = (float) out[q];
          }
        }
      }
      for (int s = 0; s < 4; s++) {
        tally.addAndGet(s, local[s]);
      }
      if (progress != null) {
        progress.accept(end - start);
      }
    });
    List<Volume> volumes = new ArrayList<>();
    for (int o = 0; o < outputs.size(); o++) {
      volumes.add(new Volume(grid, outputs.get(o).components(), maps[o]));
    }
    Counts counts = new Counts(n, n - inside.length, tally.get(0), tally.get(1), tally.get(2),
        tally.get(3));
    return new Result(volumes, counts);
  }

  /** 0 fitted, 1 non-finite, 2 no signal, 3 failed. */
  private static int fitVoxel(float[] data, int i, int n, int nt, int[] b0Indices,
      VoxelFitter fitter, double[] signal, double[] out) {
    for (int t = 0; t < nt; t++) {
      float v = data[i + t * n];
      if (!Float.isFinite(v)) {
        return 1;
      }
      signal[t] = v;
    }
    if (b0Indices != null && b0Indices.length > 0) {
      double s0 = 0;
      for (int t : b0Indices) {
        s0 += signal[t];
      }
      if (!(s0 > 0)) {
        return 2;
      }
    }
    boolean ok;
    try {
      ok = fitter.fit(signal, out);
    } catch (ArithmeticException e) {
      ok = false;
    }
    if (!ok) {
      return 3;
    }
    for (int q = 0; q < out.length; q++) {
      if (!Double.isFinite(out[q])) {
        return 3;
      }
    }
    return 0;
  }
}
