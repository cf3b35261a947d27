package org.noddildm.app.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;

class ValidateCommandTest {
  @TempDir
  static Path tmp;
  static Path scan;
  static Path out;
  static CliRunner.Result run;

  @BeforeAll
  static void validateOneSimulatedHighResolutionScan() {
    // a "high-resolution scan": factor 1, 32 directions per shell, noise at SNR 40
    CliRunner.Result sim = CliRunner.run("simulate", "--out", tmp.resolve("hr").toString(),
        "--factor", "1", "--protocol", "0x4,1000x32,2000x32", "--size", "24", "--voxel", "2.5",
        "--snr", "40",
        "--seed", "8003", "--no-progress");
    assertEquals(0, sim.exitCode(), sim.err());
    scan = tmp.resolve("hr/sub-0001/dwi_lowres.nii.gz");
    out = tmp.resolve("check");
    run = CliRunner.run("validate", "--dwi", scan.toString(), "--out", out.toString(),
        "--methods", "classic,refine", "--directions", "20", "--no-progress");
  }

  @Test
  void writesATableAPageAndEveryMethodsMapsForEachScan() throws Exception {
    assertEquals(0, run.exitCode(), run.err());
    JsonObject j = JsonParser.parseString(Files.readString(out.resolve("validate.json")))
        .getAsJsonObject();
    assertTrue(j.get("reference").getAsString().contains("not a ground truth"));
    JsonArray scans = j.getAsJsonArray("scans");
    assertEquals(1, scans.size());
    JsonObject s = scans.get(0).getAsJsonObject();
    assertEquals("b0 x 4, b=1000 x 20, b=2000 x 20", s.get("short_protocol").getAsString());
    assertTrue(s.get("acquisition").getAsString().contains("k-space"));
    JsonArray sd = s.getAsJsonArray("reference_noise_sd");
    for (int t = 0; t < 3; t++) {
      double v = sd.get(t).getAsDouble();
      assertTrue(v > 0.001 && v < 0.2, "reference noise sd " + v);
    }
    JsonObject methods = s.getAsJsonObject("methods");
    assertTrue(methods.has("classic") && methods.has("refine"), methods.keySet().toString());
    for (String f : new String[] {"reference_noddi.nii.gz", "mask.nii.gz", "short_dwi.nii.gz",
        "short_dwi.bval", "short_dwi.bvec", "classic_noddi.nii.gz", "refine_noddi.nii.gz"}) {
      assertTrue(Files.isRegularFile(out.resolve("dwi_lowres").resolve(f)), f);
    }
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("(r) refiner") && html.contains("PSNR ceiling"), html);
  }

  @Test
  void itsTableAgreesWithScikitImageScoringTheWrittenMaps() throws Exception {
    assertEquals(0, run.exitCode(), run.err());
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python) || "true".equals(System.getenv("CI")),
        "python3 is not installed");
    // PSNR in the brain (NDI and ODI where the reference FWF < 0.9) and SSIM over the volume,
    // data range 1, computed by nibabel and scikit-image from the files validate wrote
    String script = "import sys, json\n"
        + "try:\n  import nibabel as nib, numpy as np\n"
        + "  from skimage.metrics import peak_signal_noise_ratio as psnr,"
        + " structural_similarity as ssim\n"
        + "except ImportError:\n  sys.exit(3)\n"
        + "d = sys.argv[1]\n"
        + "ref = nib.load(d + '/reference_noddi.nii.gz').get_fdata()\n"
        + "m = nib.load(d + '/mask.nii.gz').get_fdata() > 0\n"
        + "out = {}\n"
        + "for name in ('classic', 'refine'):\n"
        + "  p = nib.load(d + '/' + name + '_noddi.nii.gz').get_fdata()\n"
        + "  r = []\n"
        + "  for t in range(3):\n"
        + "    sel = m & (ref[..., 2] < 0.9) if t < 2 else m\n"
        + "    r.append([psnr(ref[..., t][sel], p[..., t][sel], data_range=1),"
        + " ssim(ref[..., t], p[..., t], data_range=1, win_size=7)])\n"
        + "  out[name] = r\n"
        + "print(json.dumps(out))\n";
    Process p = new ProcessBuilder(python.toString(), "-c", script,
        out.resolve("dwi_lowres").toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    String output = new String(p.getInputStream().readAllBytes()).trim();
    if (p.exitValue() == 3) {
      assertFalse("true".equals(System.getenv("CI")), "python3-nibabel/skimage are missing;"
          + " .ci/run should have installed them");
      assumeTrue(false, "python3-nibabel or python3-skimage is not installed");
    }
    assertEquals(0, p.exitValue(), output);
    JsonObject py = JsonParser.parseString(output.substring(output.lastIndexOf('\n') + 1))
        .getAsJsonObject();
    JsonObject methods = JsonParser.parseString(Files.readString(out.resolve("validate.json")))
        .getAsJsonObject().getAsJsonArray("scans").get(0).getAsJsonObject()
        .getAsJsonObject("methods");
    for (String name : new String[] {"classic", "refine"}) {
      JsonObject ours = methods.getAsJsonObject(name);
      for (int t = 0; t < 3; t++) {
        JsonArray theirs = py.getAsJsonArray(name).get(t).getAsJsonArray();
        assertEquals(theirs.get(0).getAsDouble(), ours.getAsJsonArray("psnr").get(t)
            .getAsDouble(), 1e-3, name + " PSNR of map " + t);
        assertEquals(theirs.get(1).getAsDouble(), ours.getAsJsonArray("ssim").get(t)
            .getAsDouble(), 1e-4, name + " SSIM of map " + t);
      }
    }
  }

  @Test
  void checksEveryDwiRunOfABidsDataset() throws Exception {
    Path bids = tmp.resolve("bids");
    for (String sub : new String[] {"01", "02"}) {
      Path dwi = bids.resolve("sub-" + sub + "/dwi");
      Files.createDirectories(dwi);
      Files.copy(scan, dwi.resolve("sub-" + sub + "_dwi.nii.gz"));
      Files.copy(scan.resolveSibling("dwi_lowres.bval"), dwi.resolve("sub-" + sub + "_dwi.bval"));
      Files.copy(scan.resolveSibling("dwi_lowres.bvec"), dwi.resolve("sub-" + sub + "_dwi.bvec"));
    }
    Files.writeString(bids.resolve("dataset_description.json"),
        "{\"Name\": \"high-res\", \"BIDSVersion\": \"1.9.0\"}");
    CliRunner.Result r = CliRunner.run("validate", bids.toString(), "--participant-label", "02",
        "--out", tmp.resolve("check-bids").toString(), "--methods", "classic", "--directions",
        "20", "--no-progress");
    assertEquals(0, r.exitCode(), r.err());
    JsonArray scans = JsonParser.parseString(Files.readString(tmp.resolve(
        "check-bids/validate.json"))).getAsJsonObject().getAsJsonArray("scans");
    assertEquals(1, scans.size());
    assertEquals("sub-02", scans.get(0).getAsJsonObject().get("id").getAsString());
    assertTrue(Files.isRegularFile(tmp.resolve("check-bids/sub-02/classic_noddi.nii.gz")));
  }

  @Test
  void refusesToReplaceAnEarlierRunWithoutForce() {
    assertEquals(0, run.exitCode(), run.err());
    CliRunner.Result again = CliRunner.run("validate", "--dwi", scan.toString(), "--out",
        out.toString(), "--methods", "classic", "--no-progress");
    assertEquals(1, again.exitCode());
    assertTrue(again.err().contains("expected a new folder, found an earlier run's"
        + " validate.json (use --force to replace it)"), again.err());
  }
}
