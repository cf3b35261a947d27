package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;
import org.noddildm.core.physics.anatomy.TemplateFiles;
import org.noddildm.core.physics.dataset.PairedDataset;
import org.noddildm.core.physics.phantom.Anatomy;
import picocli.CommandLine;

class SimulateAnatomyCommandTest {
  private static int run(StringWriter err, String... args) {
    CommandLine cl = Main.newCommandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  @Test
  void simulateWithColin27WritesADatasetThatNamesItsAnatomy(@TempDir Path tmp)
      throws Exception {
    assumeTrue(TemplateFiles.available(Anatomy.COLIN27), "mricron-data not installed");
    StringWriter err = new StringWriter();
    int code = run(err, "simulate", "--out", tmp.toString(), "--anatomy", "colin27",
        "--size", "16", "--voxel", "4", "--protocol", "0x1,1000x6,2000x6", "--seed", "2");
    assertEquals(0, code, err.toString());
    JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("dataset.json")))
        .getAsJsonObject();
    assertEquals("colin27", json.getAsJsonObject("phantom").get("anatomy").getAsString());
    PairedDataset ds = PairedDataset.open(tmp);
    assertEquals(Anatomy.COLIN27, ds.anatomy());
    assertTrue(ds.mask("sub-0001").count() > 0);
    assertTrue(Files.exists(tmp.resolve("sub-0001/subject.json")));
  }

  @Test
  void varyProtocolGivesEachSubjectItsOwnScan(@TempDir Path tmp) throws Exception {
    StringWriter err = new StringWriter();
    int code = run(err, "simulate", "--out", tmp.toString(), "--vary-protocol",
        "--subjects", "2", "--size", "16", "--voxel", "4");
    assertEquals(0, code, err.toString());
    PairedDataset ds = PairedDataset.open(tmp);
    assertEquals(Anatomy.PROCEDURAL, ds.anatomy());
    assertFalse(ds.table("sub-0001").summary().equals(ds.table("sub-0002").summary()));
    assertTrue(Files.readString(tmp.resolve("sub-0002/subject.json")).contains("\"snr\""));
  }

  @Test
  void varyAnatomyIsRecordedAndNeedsATemplate(@TempDir Path tmp) throws Exception {
    StringWriter err = new StringWriter();
    Path proc = tmp.resolve("proc");
    int code = run(err, "simulate", "--out", proc.toString(), "--vary-anatomy",
        "--size", "16", "--voxel", "4");
    assertEquals(1, code);
    assertTrue(err.toString().contains("expected an anatomical template (colin27 or inia19),"
        + " found procedural"), err.toString());
    assertFalse(Files.exists(proc.resolve("dataset.json")));
    assumeTrue(TemplateFiles.available(Anatomy.COLIN27), "mricron-data not installed");
    Path colin = tmp.resolve("colin");
    code = run(err, "simulate", "--out", colin.toString(), "--anatomy", "colin27",
        "--vary-anatomy", "--size", "16", "--voxel", "4", "--protocol", "0x1,1000x6,2000x6");
    assertEquals(0, code, err.toString());
    JsonObject phantom = JsonParser.parseString(Files.readString(colin.resolve("dataset.json")))
        .getAsJsonObject().getAsJsonObject("phantom");
    assertTrue(phantom.get("variation").getAsString().contains("tissue mixing exponent"));
    assertTrue(PairedDataset.open(colin).describe().contains("--vary-anatomy"));
    assertTrue(Files.readString(colin.resolve("sub-0001/subject.json"))
        .contains("tissue_mixing_exponent"));
  }

  /** The help text of --vary-anatomy (a constant, so written out) says Variation.wide()'s values. */
  @Test
  void varyAnatomysHelpStatesTheWidePriorsValues() {
    org.noddildm.core.physics.anatomy.Variation w =
        org.noddildm.core.physics.anatomy.Variation.wide();
    String help = String.join(" ", Main.newCommandLine().getSubcommands().get("simulate")
        .getCommandSpec().findOption("--vary-anatomy").description());
    for (String part : new String[] {
        "rotation up to " + Math.round(w.maxRotationDeg()) + " degrees",
        "scale 1 +- " + w.scaleRange(), "warp sd " + w.warpMm() + " mm",
        w.minLesions() + "-" + w.maxLesions() + " lesions",
        "enlarged ventricles with probability " + w.ventricleProbability()}) {
      assertTrue(help.contains(part), "expected \"" + part + "\" in: " + help);
    }
    assertEquals(0.75, w.minMixingExponent(), "\"somewhat wider\" in the help");
    assertEquals(3, w.maxMixingExponent(), "\"three times as sharp\" in the help");
    assertEquals(1, w.parameterSpread(), "\"up to 0.08 and 0.10\" in the help");
  }

  @Test
  void anUnknownAnatomyIsOneClearError(@TempDir Path tmp) {
    StringWriter err = new StringWriter();
    int code = run(err, "simulate", "--out", tmp.toString(), "--anatomy", "mni152",
        "--size", "16", "--voxel", "4");
    assertEquals(1, code);
    assertTrue(err.toString().contains("expected procedural, colin27 or inia19"), err.toString());
    assertFalse(Files.exists(tmp.resolve("dataset.json")));
  }
}
