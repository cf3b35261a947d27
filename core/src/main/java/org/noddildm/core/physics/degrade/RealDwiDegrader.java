package org.noddildm.core.physics.degrade;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * The same degradation for a user's real high-resolution DWI: keep a subset of the volumes,
 * crop the grid to a multiple of the factor (the last voxels of an axis go; the affine keeps
 * every kept voxel's world position), downsample and add noise. The SNR refers to a reference
 * b0 signal estimated from the data: the median of the mean b0 image over the voxels brighter
 * than 20% of its 99th percentile (a rough brain mask). The data's own noise is still in the
 * result (reduced by block averaging), so the final SNR is somewhat below the requested one.
 *
 * <p>A file is read in one streaming pass holding one high-resolution volume at a time, so
 * large acquisitions (HCP: 145 x 174 x 145 x 288) need only the low-resolution output in memory.
 */
public final class RealDwiDegrader {
  private RealDwiDegrader() {}

  /** The result: low-resolution DWI, its gradient table and a rough low-resolution mask. */
  public record Result(Volume dwi, GradientTable table, Mask mask, double s0Reference,
      int[] kept, int[] croppedSize) {}

  /** Volumes one at a time, in order. */
  @FunctionalInterface
  private interface Source {
    void forEach(NiftiReader.VolumeConsumer consumer) throws IOException;
  }

  /** Degrades an image in memory; {@code keep} lists the volumes to keep, or null for all. */
  public static Result degrade(Volume dwi, GradientTable table, int[] keep, Degradation d) {
    try {
      return degrade(dwi.grid(), dwi.nt(), c -> {
        for (int t = 0; t < dwi.nt(); t++) {
          c.accept(t, dwi.volume(t));
        }
      }, table, keep, d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Degrades an open image file, streaming its volumes once. */
  public static Result degrade(NiftiReader reader, GradientTable table, int[] keep,
      Degradation d) throws IOException {
    return degrade(reader.grid(), reader.volumeCount(), reader::forEachVolume, table, keep, d);
  }

  private static Result degrade(Grid grid, int nt, Source source, GradientTable table,
      int[] keep, Degradation d) throws IOException {
    table.requireVolumes(nt);
    int f = d.factor();
    int sx = grid.nx() / f * f;
    int sy = grid.ny() / f * f;
    int sz = grid.nz() / f * f;
    BadArgumentException.require(sx > 0 && sy > 0 && sz > 0, "factor " + f + ": expected an"
        + " image at least " + f + " voxels along each axis, found " + grid.shape());
    int[] b0 = table.b0Indices();
    BadArgumentException.require(b0.length > 0, "gradient table: expected at least one b0"
        + " volume (b <= " + table.b0Threshold() + ") to set the SNR against, found none");
    int[] idx = keep == null ? range(nt) : keep;
    int[] slot = new int[nt];
    Arrays.fill(slot, -1);
    for (int k = 0; k < idx.length; k++) {
      slot[idx[k]] = k;
    }
    boolean crop = sx != grid.nx() || sy != grid.ny() || sz != grid.nz();
    Grid cropped = crop ? VolumeOps.cropOrPad(Volume.zeros(grid, 1), 0, 0, 0, sx, sy, sz, 0)
        .grid() : grid;
    Grid low = VolumeOps.downsampledGrid(cropped, f);
    int nLow = low.size();
    float[] out = new float[nLow * idx.length];
    float[] outIm = d.kspace() && !d.filter().isReal() ? new float[nLow * idx.length] : null;
    float[] b0Sum = new float[cropped.size()];
    source.forEach((t, vol) -> {
      long bad = vol.nonFiniteCount();
      BadArgumentException.require(bad == 0, "DWI volume " + t + ": expected finite values"
          + " (degrading would spread them into the noise), found " + bad + " NaN/Inf");
      boolean isB0 = table.isB0(t);
      if (!isB0 && slot[t] < 0) {
        return;
      }
      Volume v = crop ? VolumeOps.cropOrPad(vol, 0, 0, 0, sx, sy, sz, 0) : vol;
      if (isB0) {
        float[] src = v.data();
        for (int i = 0; i < b0Sum.length; i++) {
          b0Sum[i] += src[i] / b0.length;
        }
      }
      if (slot[t] >= 0) {
        if (d.kspace()) {
          KSpaceTruncation.Image small = KSpaceTruncation.acquire(v, f, d.filter());
          System.arraycopy(small.re().data(), 0, out, slot[t] * nLow, nLow);
          if (outIm != null) {
            System.arraycopy(small.im().data(), 0, outIm, slot[t] * nLow, nLow);
          }
        } else {
          System.arraycopy(VolumeOps.downsample(v, f).data(), 0, out, slot[t] * nLow, nLow);
        }
      }
    });
    Volume meanB0 = new Volume(cropped, 1, b0Sum);
    double s0 = referenceS0(meanB0);
    Volume lowDwi = d.applyNoise(new KSpaceTruncation.Image(new Volume(low, idx.length, out),
        outIm == null ? null : new Volume(low, idx.length, outIm)), s0);
    Volume lowB0 = VolumeOps.downsample(meanB0, f);
    Mask mask = Mask.above(lowB0, (float) (0.2 * percentile(lowB0.data(), 0.99)));
    return new Result(lowDwi, table.select(idx), mask, s0, idx.clone(),
        new int[] {sx, sy, sz});
  }

  /** Median over voxels brighter than 20% of the 99th percentile of a mean b0 image. */
  static double referenceS0(Volume meanB0) {
    float[] v = meanB0.data();
    double thr = 0.2 * percentile(v, 0.99);
    double[] in = new double[v.length];
    int n = 0;
    for (float x : v) {
      if (x > thr) {
        in[n++] = x;
      }
    }
    BadArgumentException.require(n > 0 && thr > 0,
        "b0 signal: expected a positive b0 image to set the SNR against, found none");
    double[] s = Arrays.copyOf(in, n);
    Arrays.sort(s);
    return s[n / 2];
  }

  private static double percentile(float[] v, double q) {
    float[] s = v.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
  }

  private static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i;
    }
    return r;
  }
}
