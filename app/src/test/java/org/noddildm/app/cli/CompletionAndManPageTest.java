package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.CliRunner;

/** Shell completion and man pages come from the same command definitions as --help. */
class CompletionAndManPageTest {
  @TempDir Path dir;

  @Test
  void completionKnowsTheCommandsAndTheirOptions() {
    CliRunner.Result r = CliRunner.run("generate-completion");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("complete -F") && r.out().contains("predict")
        && r.out().contains("--method") && r.out().contains("bids"), "completion script");
  }

  @Test
  void manWritesAPagePerCommand() throws Exception {
    CliRunner.Result r = CliRunner.run("dev", "man", "--outdir", dir.toString());
    assertEquals(0, r.exitCode(), r.err());
    String predict = Files.readString(dir.resolve("noddi-predict.adoc"));
    assertTrue(predict.contains("--method") && predict.contains(":doctype: manpage"), predict);
    assertTrue(Files.exists(dir.resolve("noddi.adoc")) && Files.exists(dir.resolve(
        "noddi-bids.adoc")));
  }
}
