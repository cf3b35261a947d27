package org.noddildm.app.report;

import java.util.SplittableRandom;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Affine;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;
import org.noddildm.core.volume.VolumeOps;

/**
 * A small synthetic subject for tests and documentation pictures: NODDI-like maps on an
 * ellipsoidal "brain" (a free-water rim and ventricles, a denser white-matter core, a lesion of
 * low NDI in the left hemisphere so that left and right can be told apart), a degraded
 * "prediction" (smoothed plus seeded noise) and a low-resolution copy. Not a physical
 * simulation: the real phantom comes from {@code noddi simulate}.
 *
 * @param reference NDI, ODI, FWF on the high-resolution grid
 * @param prediction a degraded copy of the reference on the same grid
 * @param lowRes the reference block-averaged by 2 with noise
 * @param mask the brain ellipsoid
 * @param labels tissue labels as the simulator writes them (0 outside, 1 CSF, 2 GM, 3 WM)
 */
public record DemoMaps(Volume reference, Volume prediction, Volume lowRes, Mask mask,
    Volume labels) {
  /** A subject of n x n x n voxels of 2 mm, stored RAS with the origin at the centre. */
  public static DemoMaps make(int n, long seed) {
    double c = (n - 1) / 2.0;
    Grid g = new Grid(n, n, n, Affine.of(new double[][] {
        {2, 0, 0, -2 * c}, {0, 2, 0, -2 * c}, {0, 0, 2, -2 * c}}));
    int size = g.size();
    float[] ref = new float[3 * size];
    boolean[] inside = new boolean[size];
    float[] label = new float[size];
    for (int z = 0; z < n; z++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          double[] w = g.affine().apply(x, y, z); // mm, RAS
          double rx = w[0] / (0.80 * n);
          double ry = w[1] / (0.95 * n);
          double rz = w[2] / (0.75 * n);
          double r = Math.sqrt(rx * rx + ry * ry + rz * rz);
          int i = g.index(x, y, z);
          if (r > 1) {
            continue;
          }
          inside[i] = true;
          double ventricle = Math.hypot(Math.abs(w[0]) / (0.12 * n) - 1, Math.hypot(w[1]
              / (0.35 * n), w[2] / (0.2 * n)));
          boolean csf = r > 0.92 || ventricle < 1;
          boolean wm = !csf && r < 0.7;
          label[i] = csf ? 1 : wm ? 3 : 2;
          double lesion = Math.sqrt(Math.pow(w[0] + 0.35 * n, 2) + Math.pow(w[1] - 0.2 * n, 2)
              + Math.pow(w[2] - 0.1 * n, 2));
          double ndi = csf ? 0.05 : wm ? 0.65 + 0.1 * Math.sin(w[1] * 0.15) : 0.4;
          if (lesion < 0.12 * n) {
            ndi *= 0.4;
          }
          double odi = csf ? 0.9 : wm ? 0.15 + 0.1 * Math.cos(w[0] * 0.2) : 0.6;
          double fwf = csf ? 0.95 : 0.05 + 0.1 * r;
          ref[i] = (float) ndi;
          ref[i + size] = (float) odi;
          ref[i + 2 * size] = (float) fwf;
        }
      }
    }
    Volume reference = new Volume(g, 3, ref);
    SplittableRandom rng = new SplittableRandom(seed);
    Volume low = VolumeOps.downsample(reference, 2);
    for (int i = 0; i < low.data().length; i++) {
      low.data()[i] = clamp(low.data()[i] + 0.03 * rng.nextGaussian());
    }
    float[] pred = new float[ref.length];
    for (int t = 0; t < 3; t++) {
      for (int z = 0; z < n; z++) {
        for (int y = 0; y < n; y++) {
          for (int x = 0; x < n; x++) {
            double s = 0;
            int k = 0;
            for (int d = -1; d <= 1; d++) {
              if (g.contains(x + d, y, z)) {
                s += reference.get(x + d, y, z, t);
                k++;
              }
            }
            int i = g.index(x, y, z) + t * size;
            pred[i] = inside[i - t * size] ? clamp(s / k + 0.02 * rng.nextGaussian()) : 0;
          }
        }
      }
    }
    return new DemoMaps(reference, new Volume(g, 3, pred), low, new Mask(g, inside),
        Volume.of(g, label));
  }

  /**
   * Writes a demo subject for documentation pictures:
   * {@code java -cp app/target/noddi-all.jar org.noddildm.app.report.DemoMaps DIR [n] [seed]}
   * gives DIR/ref.nii.gz, pred.nii.gz, lowres.nii.gz, mask.nii.gz and labels.nii.gz.
   */
  public static void main(String[] args) throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
    DemoMaps d = make(args.length > 1 ? Integer.parseInt(args[1]) : 64,
        args.length > 2 ? Long.parseLong(args[2]) : 1);
    NiftiWriter.write(dir.resolve("ref.nii.gz"), d.reference());
    NiftiWriter.write(dir.resolve("pred.nii.gz"), d.prediction());
    NiftiWriter.write(dir.resolve("lowres.nii.gz"), d.lowRes());
    NiftiWriter.write(dir.resolve("mask.nii.gz"), d.mask().toVolume());
    NiftiWriter.write(dir.resolve("labels.nii.gz"), d.labels());
  }

  private static float clamp(double v) {
    return (float) Math.max(0, Math.min(1, v));
  }
}
