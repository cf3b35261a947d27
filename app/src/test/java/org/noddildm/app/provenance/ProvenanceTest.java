package org.noddildm.app.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;
import org.noddildm.core.provenance.ProvenanceScrubber;
import org.noddildm.model.bundle.ShippedModel;

class ProvenanceTest {
  @Test
  void versionNamesTheCommitAndTheShippedModelId() {
    CliRunner.Result r = CliRunner.run("--version");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().matches("(?s).*\\ncommit [0-9a-f]{40}.*"), r.out());
    assertTrue(r.out().matches("(?s).*\\nshipped model (sha256:[0-9a-f]{64}|none in this"
        + " build)\\n.*"), r.out());
  }

  @Test
  void theShippedModelHasTheSameIdInTheJarAndExtractedAndChangesWithItsBytes(
      @TempDir Path tmp) throws Exception {
    assumeTrue(ShippedModel.available(), "this build carries no pretrained model");
    ModelIdentity jar = ModelIdentity.shipped();
    Path dir = ShippedModel.extract();
    assertEquals(jar, ModelIdentity.of(dir));
    assertFalse(jar.note().contains("/work/"), jar.note());
    Files.writeString(dir.resolve("model.json"), Files.readString(dir.resolve("model.json"))
        + " ");
    assertFalse(jar.id().equals(ModelIdentity.of(dir).id()));
  }

  @Test
  void absolutePathsAreReducedToTheirLastNameAndOtherTextIsKept() {
    JsonObject o = JsonParser.parseString("{\"a\": \"/work/runs/ldm\", \"b\": [\"C:\\\\x\\\\y"
        + "\"], \"c\": \"trained from /work/train/colin and docs/training-log.md, 1.7e-3"
        + " mm^2/s, https://doi.org/10.1/x\", \"d\": 3}").getAsJsonObject();
    JsonObject s = ProvenanceScrubber.scrub(o).getAsJsonObject();
    assertEquals("ldm (path removed)", s.get("a").getAsString());
    assertEquals("y (path removed)", s.getAsJsonArray("b").get(0).getAsString());
    assertEquals("trained from colin (path removed) and docs/training-log.md, 1.7e-3 mm^2/s,"
        + " https://doi.org/10.1/x", s.get("c").getAsString());
    assertEquals(3, s.get("d").getAsInt());
  }
}
