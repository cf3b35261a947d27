package org.noddildm.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.noddildm.app.view.Colormap;
import org.noddildm.app.view.MontageFigure;
import org.noddildm.app.view.Plane;
import org.noddildm.app.view.SliceImages;
import org.noddildm.app.view.ViewSettings;
import org.noddildm.core.io.AtomicFiles;
import org.noddildm.core.volume.Volume;

/**
 * The pictures of {@code bench quality} for one subject, one per map: the truth, the refiner,
 * one sample of the diffusion model, its point estimate, the sd and the point estimate's
 * absolute error, on one axial plane through the centre, in one colour scale 0..1 (the sd and
 * the error times 4, as the captions say, so that they show).
 */
final class QualityPictures {
  private static final String[] MAPS = {"ndi", "odi", "fwf"};
  /** The factor the sd and the error are shown with. */
  static final float GAIN = 4f;

  private QualityPictures() {}

  /** Writes {@code dir/NAME_ndi.png}, ... ; {@code sample} and {@code sd} may be null. */
  static void write(Path dir, String name, Volume truth, Volume refiner, Volume sample,
      Volume point, Volume sd) throws IOException {
    int n = truth.grid().size();
    int[] centre = {truth.nx() / 2, truth.ny() / 2, truth.nz() / 2};
    ViewSettings s = new ViewSettings(Colormap.VIRIDIS, 0, 1, false, 160);
    for (int k = 0; k < 3; k++) {
      Volume[] panels = {truth.volume(k), refiner.volume(k), sample == null ? null
          : sample.volume(k), point.volume(k), sd == null ? null : scaled(sd.volume(k)),
          error(point.volume(k), truth.volume(k))};
      String[] labels = {"truth", "refiner", "one sample", "point estimate",
          "sd x" + (int) GAIN, "|point - truth| x" + (int) GAIN};
      float[] all = new float[panels.length * n];
      for (int p = 0; p < panels.length; p++) {
        if (panels[p] != null) {
          System.arraycopy(panels[p].data(), 0, all, p * n, n);
        } else {
          labels[p] = labels[p] + " (not run)";
        }
      }
      var img = MontageFigure.render(new Volume(truth.grid(), panels.length, all), Plane.AXIAL,
          centre, s, name + ": " + MAPS[k].toUpperCase(Locale.ROOT), labels);
      AtomicFiles.writeBytes(dir.resolve(name + "_" + MAPS[k] + ".png"), SliceImages.png(img));
    }
  }

  private static Volume scaled(Volume v) {
    float[] d = v.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] *= GAIN;
    }
    return new Volume(v.grid(), 1, d);
  }

  private static Volume error(Volume a, Volume b) {
    float[] d = new float[a.data().length];
    for (int i = 0; i < d.length; i++) {
      d[i] = GAIN * Math.abs(a.data()[i] - b.data()[i]);
    }
    return new Volume(a.grid(), 1, d);
  }
}
