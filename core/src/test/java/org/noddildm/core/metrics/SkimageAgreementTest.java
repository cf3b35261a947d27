package org.noddildm.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.core.testing.ExternalTools;
import org.noddildm.core.volume.Grid;
import org.noddildm.core.volume.Volume;

/**
 * PSNR, SSIM and the SSIM map agree with scikit-image's {@code peak_signal_noise_ratio} and
 * {@code structural_similarity} to 1e-6 on random and structured 2D/3D images, for the uniform
 * and Gaussian windows, both covariance normalisations and multi-channel images. The values come
 * from {@code src/test/python/skimage_metrics.py} run on the same arrays.
 */
class SkimageAgreementTest {
  private static final double TOL = 1e-6;

  /** One comparison: images are float-representable so that float volumes hold them exactly. */
  private record Case(int[] shape, int channels, double range, SsimOptions options, double[] x,
      double[] y) {}

  private static final Map<String, Case> CASES = new LinkedHashMap<>();
  private static final Map<String, double[]> SKIMAGE = new HashMap<>();
  private static final Map<String, double[]> MAPS = new HashMap<>();

  @TempDir static Path dir;

  @BeforeAll
  static void computeReferenceValues() throws IOException {
    ExternalTools.requirePython("skimage");
    SplittableRandom rng = new SplittableRandom(42);
    add("random3d", new int[] {20, 17, 15}, 1, 1.0, SsimOptions.defaults(), rng, false);
    add("structured3d", new int[] {24, 22, 26}, 1, Double.NaN, SsimOptions.defaults(), rng,
        true);
    add("random2d", new int[] {31, 29}, 1, 1.0, SsimOptions.defaults(), rng, false);
    add("gaussian3d", new int[] {16, 18, 20}, 1, 1.0, SsimOptions.gaussian(1.5), rng, true);
    add("population5", new int[] {13, 11, 12}, 1, 2.0,
        SsimOptions.defaults().withWinSize(5).withSampleCovariance(false), rng, true);
    add("minimal7", new int[] {7, 7, 9}, 1, 1.0, SsimOptions.defaults(), rng, false);
    add("channels3", new int[] {12, 13, 14}, 3, 1.0, SsimOptions.defaults(), rng, true);
    StringBuilder json = new StringBuilder("[");
    for (var e : CASES.entrySet()) {
      Case c = e.getValue();
      writeDoubles(dir.resolve(e.getKey() + ".x"), c.x);
      writeDoubles(dir.resolve(e.getKey() + ".y"), c.y);
      int[] shape = c.channels > 1 ? append(c.shape, c.channels) : c.shape;
      json.append(json.length() > 1 ? "," : "").append(String.format(Locale.ROOT,
          "{\"name\":\"%s\",\"shape\":%s,\"data_range\":%s,\"win_size\":%d,\"gaussian\":%b,"
              + "\"sigma\":%s,\"sample_covariance\":%b,\"channels\":%b}",
          e.getKey(), java.util.Arrays.toString(shape), Double.toString(c.range),
          c.options.winSize(), c.options.gaussianWeights(), Double.toString(c.options.sigma()),
          c.options.sampleCovariance(), c.channels > 1));
    }
    Files.writeString(dir.resolve("cases.json"), json.append("]"));
    ExternalTools.command(ExternalTools.PYTHON, "src/test/python/skimage_metrics.py",
        dir.toString());
    for (String line : Files.readAllLines(dir.resolve("results.txt"))) {
      String[] f = line.trim().split(" ");
      SKIMAGE.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
      MAPS.put(f[0], readDoubles(dir.resolve(f[0] + ".ssim_map")));
    }
  }

  private static void add(String name, int[] shape, int channels, double range, SsimOptions o,
      SplittableRandom rng, boolean structured) {
    int n = 1;
    for (int s : shape) {
      n *= s;
    }
    n *= channels;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double base = structured ? structure(i, shape) : rng.nextDouble();
      x[i] = (float) base;
      y[i] = (float) (structured ? base + 0.1 * rng.nextGaussian() : rng.nextDouble());
    }
    double r = range;
    if (Double.isNaN(r)) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : y) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      r = hi - lo;
    }
    CASES.put(name, new Case(shape, channels, r, o, x, y));
  }

  /** A smooth blob pattern plus a step edge, like tissue boundaries in a map. */
  private static double structure(int i, int[] shape) {
    int x = i % shape[0];
    int rest = i / shape[0];
    int y = rest % shape[1];
    int z = shape.length == 3 ? (rest / shape[1]) % shape[2] : 0;
    double v = 0.5 + 0.3 * Math.sin(x * 0.4) * Math.cos(y * 0.3) + 0.1 * Math.sin(z * 0.7);
    return x > shape[0] / 2 ? v + 0.2 : v;
  }

  @Test
  void ssimMatchesScikitImageOnRandom3dVolumes() {
    assertAgrees("random3d");
  }

  @Test
  void ssimMatchesScikitImageOnStructured3dVolumesWithReferenceRange() {
    assertAgrees("structured3d");
  }

  @Test
  void ssimMatchesScikitImageOn2dImages() {
    assertAgrees("random2d");
  }

  @Test
  void gaussianWindowMatchesScikitImage() {
    assertAgrees("gaussian3d");
  }

  @Test
  void populationCovarianceAndSmallerWindowMatchScikitImage() {
    assertAgrees("population5");
  }

  @Test
  void volumesAsSmallAsTheWindowMatchScikitImage() {
    assertAgrees("minimal7");
  }

  @Test
  void multiChannelSsimIsTheMeanOverChannelsAsScikitImage() {
    Case c = CASES.get("channels3");
    Grid g = Grid.of(c.shape[0], c.shape[1], c.shape[2], 1.0);
    Volume x = new Volume(g, c.channels, toFloat(c.x));
    Volume y = new Volume(g, c.channels, toFloat(c.y));
    assertEquals(SKIMAGE.get("channels3")[0], Ssim.multiChannel(x, y, c.range, c.options), TOL);
    double[] map = MAPS.get("channels3");
    int n = g.size();
    for (int t = 0; t < c.channels; t++) {
      double[] m = Ssim.compute(x, y, t, c.range, c.options).map();
      for (int i = 0; i < n; i++) {
        assertEquals(map[t * n + i], m[i], TOL, "channel " + t + " voxel " + i);
      }
    }
    double mse = 0;
    for (int t = 0; t < c.channels; t++) {
      mse += ErrorMetrics.mse(y, x, t, null) / c.channels;
    }
    assertEquals(SKIMAGE.get("channels3")[1], ErrorMetrics.psnrFromMse(mse, c.range), TOL);
  }

  @Test
  void slicewiseSsimIsTheMeanOfScikitImage2dSsimOverSlices() {
    // "random2d" stacked twice along z: both slices equal the 2D case.
    Case c = CASES.get("random2d");
    int n = c.x.length;
    double[] x2 = new double[2 * n];
    double[] y2 = new double[2 * n];
    System.arraycopy(c.x, 0, x2, 0, n);
    System.arraycopy(c.x, 0, x2, n, n);
    System.arraycopy(c.y, 0, y2, 0, n);
    System.arraycopy(c.y, 0, y2, n, n);
    Grid g = Grid.of(c.shape[0], c.shape[1], 2, 1.0);
    assertEquals(SKIMAGE.get("random2d")[0], Ssim.slicewise(Volume.of(g, toFloat(x2)),
        Volume.of(g, toFloat(y2)), 0, c.range, c.options), TOL);
  }

  private static void assertAgrees(String name) {
    Case c = CASES.get(name);
    Ssim.Result r = Ssim.compute(c.x, c.y, c.shape, c.range, c.options);
    assertEquals(SKIMAGE.get(name)[0], r.mean(), TOL, name + " mean SSIM");
    double[] map = MAPS.get(name);
    assertEquals(map.length, r.map().length);
    double worst = 0;
    for (int i = 0; i < map.length; i++) {
      worst = Math.max(worst, Math.abs(map[i] - r.map()[i]));
    }
    assertTrue(worst < TOL, name + " SSIM map differs by up to " + worst);
    if (c.shape.length == 3) {
      Grid g = Grid.of(c.shape[0], c.shape[1], c.shape[2], 1.0);
      Volume x = Volume.of(g, toFloat(c.x));
      Volume y = Volume.of(g, toFloat(c.y));
      assertEquals(SKIMAGE.get(name)[1], ErrorMetrics.psnr(y, x, 0, null, c.range), TOL,
          name + " PSNR");
      assertEquals(SKIMAGE.get(name)[0], Ssim.compute(x, y, 0, c.range, c.options).mean(), TOL,
          name + " SSIM of float volumes");
    }
  }

  private static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  private static int[] append(int[] a, int v) {
    int[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = v;
    return out;
  }

  private static void writeDoubles(Path p, double[] d) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(d.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : d) {
      b.putDouble(v);
    }
    Files.write(p, b.array());
  }

  private static double[] readDoubles(Path p) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    double[] d = new double[b.capacity() / 8];
    for (int i = 0; i < d.length; i++) {
      d[i] = b.getDouble();
    }
    return d;
  }
}
