package org.noddildm.app.bids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.app.StrictJsonCheck;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.io.NiftiWriter;
import org.noddildm.core.volume.Volume;
import org.noddildm.model.bundle.ShippedModel;

/**
 * QSIPrep's derivatives as input, in QSIPrep's layout and names: the preprocessed scan
 * {@code sub-01_space-T1w_desc-preproc_dwi.nii.gz} with its gradients and sidecar, its brain
 * mask {@code sub-01_space-T1w_desc-brain_mask.nii.gz}, and the files QSIPrep writes beside
 * them (reports, logs, anat). The outputs carry QSIRecon's NODDI names.
 */
class QsiprepInputTest {
  @TempDir
  static Path tmp;
  static Path qsiprep;
  static Volume mask;

  @BeforeAll
  static void makeQsiprepDerivatives() throws Exception {
    Path scan = BidsFixtures.scan(tmp);
    qsiprep = tmp.resolve("derivatives/qsiprep");
    Files.createDirectories(qsiprep);
    Files.writeString(qsiprep.resolve("dataset_description.json"), "{\"Name\": \"QSIPrep"
        + " output\", \"BIDSVersion\": \"1.9.0\", \"DatasetType\": \"derivative\","
        + " \"GeneratedBy\": [{\"Name\": \"qsiprep\", \"Version\": \"1.0.0\"}]}\n");
    Path dwi = qsiprep.resolve("sub-01/dwi");
    BidsFixtures.copyScan(scan, dwi.resolve("sub-01_space-T1w_desc-preproc_dwi"));
    Files.writeString(dwi.resolve("sub-01_space-T1w_desc-preproc_dwi.json"),
        "{\"EchoTime\": 0.089, \"Manufacturer\": \"Siemens\"}\n");
    // the mask: the first half of the scan along x, unlike any automatic mask
    Volume v = NiftiReader.read(Path.of(scan + ".nii.gz")).volume();
    mask = Volume.zeros(v.grid(), 1);
    for (int z = 0; z < v.nz(); z++) {
      for (int y = 0; y < v.ny(); y++) {
        for (int x = 0; x < v.nx() / 2; x++) {
          mask.set(x, y, z, 0, 1f);
        }
      }
    }
    NiftiWriter.write(dwi.resolve("sub-01_space-T1w_desc-brain_mask.nii.gz"), mask);
    Files.createDirectories(qsiprep.resolve("sub-01/anat"));
    Files.writeString(qsiprep.resolve("sub-01/anat/sub-01_desc-preproc_T1w.json"), "{}");
    Files.createDirectories(qsiprep.resolve("sub-01/figures"));
    Files.writeString(qsiprep.resolve("sub-01/figures/sub-01_desc-carpetplot.svg"), "<svg/>");
    Files.writeString(qsiprep.resolve("sub-01.html"), "<html></html>");
    Files.createDirectories(qsiprep.resolve("logs"));
  }

  @Test
  void theDefaultEstimateCarriesQsireconsNamesAndNoNameHasTwoDescs() throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    Path out = tmp.resolve("derivatives/noddi");
    CliRunner.Result r = CliRunner.run("bids", qsiprep.toString(), out.toString(),
        "participant", "--no-progress");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("derivative dataset") && r.out().contains("not run"), r.out());
    Path dir = out.resolve("sub-01/dwi");
    for (String p : List.of("icvf", "od", "isovf")) {
      assertTrue(Files.isRegularFile(dir.resolve("sub-01_space-T1w_model-noddi_param-" + p
          + "_dwimap.nii.gz")), p);
      assertTrue(Files.isRegularFile(dir.resolve("sub-01_space-T1w_model-noddi_param-" + p
          + "_desc-classic_dwimap.nii.gz")), p);
    }
    for (String p : List.of("icvf", "od")) {
      assertTrue(Files.isRegularFile(dir.resolve("sub-01_space-T1w_model-noddi_param-" + p
          + "_desc-modulated_dwimap.nii.gz")), p);
    }
    // a QSIRecon user's globs find exactly the default estimate's maps
    for (String p : List.of("icvf", "od", "isovf")) {
      PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:**/sub-*_space-T1w"
          + "_model-noddi_param-" + p + "_dwimap.nii.gz");
      try (Stream<Path> s = Files.walk(out)) {
        assertEquals(1, s.filter(glob::matches).count(), p);
      }
    }
    try (Stream<Path> s = Files.walk(out)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String n = f.getFileName().toString();
        assertTrue(n.indexOf("desc-") == n.lastIndexOf("desc-"), "two desc entities: " + n);
        assertFalse(n.contains("preproc"), "the input's desc kept: " + n);
      }
    }
    JsonObject nativeSide = StrictJsonCheck.parse(dir.resolve(
        "sub-01_space-T1w_res-native_model-noddi_param-icvf_desc-classic_dwimap.json"))
        .getAsJsonObject();
    assertTrue(nativeSide.getAsJsonObject("Resolution").get("native").getAsString()
        .contains("the scan's own grid"), nativeSide.toString());
    JsonObject d = StrictJsonCheck.parse(out.resolve("dataset_description.json"))
        .getAsJsonObject();
    assertEquals("../qsiprep", d.getAsJsonObject("DatasetLinks").get("raw").getAsString());
    JsonObject side = StrictJsonCheck.parse(dir.resolve(
        "sub-01_space-T1w_model-noddi_param-icvf_dwimap.json")).getAsJsonObject();
    assertTrue(side.getAsJsonArray("Sources").toString().contains(
        "bids:raw:sub-01/dwi/sub-01_space-T1w_desc-brain_mask.nii.gz"), side.toString());
    assertEquals("Siemens", side.getAsJsonObject("InputMetadata").get("Manufacturer")
        .getAsString());
  }

  @Test
  void qsiprepsBrainMaskIsUsedUnlessAutoIsAsked() throws Exception {
    Path out = tmp.resolve("derivatives/noddi-classic");
    CliRunner.Result r = CliRunner.run("bids", qsiprep.toString(), out.toString(),
        "participant", "--method", "classic", "--no-progress");
    assertEquals(0, r.exitCode(), r.out() + r.err());
    Volume used = NiftiReader.read(out.resolve("sub-01/dwi/"
        + "sub-01_space-T1w_res-native_desc-brain_mask.nii.gz")).volume();
    for (int i = 0; i < used.grid().size(); i++) {
      assertEquals(mask.at(i, 0) != 0, used.at(i, 0) != 0, "voxel " + i);
    }
    Volume ndi = NiftiReader.read(out.resolve("sub-01/dwi/"
        + "sub-01_space-T1w_res-native_model-noddi_param-icvf_desc-classic_dwimap.nii.gz"))
        .volume();
    for (int i = 0; i < ndi.grid().size(); i++) {
      if (mask.at(i, 0) == 0) {
        assertEquals(0f, ndi.at(i, 0), "outside QSIPrep's mask at " + i);
      }
    }
    Path auto = tmp.resolve("derivatives/noddi-auto");
    assertEquals(0, CliRunner.run("bids", qsiprep.toString(), auto.toString(), "participant",
        "--method", "classic", "--mask", "auto", "--no-progress").exitCode());
    Volume automatic = NiftiReader.read(auto.resolve("sub-01/dwi/"
        + "sub-01_space-T1w_res-native_desc-brain_mask.nii.gz")).volume();
    boolean differs = false;
    for (int i = 0; i < used.grid().size(); i++) {
      differs |= (automatic.at(i, 0) != 0) != (used.at(i, 0) != 0);
    }
    assertTrue(differs, "--mask auto ignores the dataset's mask");
  }

  @Test
  void aMaskOfAnotherGridFailsTheSubjectInOneLine() throws Exception {
    Path bad = tmp.resolve("small_mask.nii.gz");
    NiftiWriter.write(bad, Volume.zeros(new org.noddildm.core.volume.Grid(3, 3, 3,
        mask.grid().affine()), 1));
    Path out = tmp.resolve("derivatives/noddi-badmask");
    CliRunner.Result r = CliRunner.run("bids", qsiprep.toString(), out.toString(),
        "participant", "--method", "classic", "--mask", bad.toString(), "--no-progress");
    assertEquals(1, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("sub-01: FAILED: ") && r.out().contains("expected a brain mask"
        + " on the scan's grid"), r.out());
    assertFalse(Files.exists(out.resolve("sub-01")), "no half subject");
  }
}
