package org.noddildm.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.noddildm.app.Main;
import picocli.CommandLine;

class BenchFitCommandTest {
  @Test
  void smallBenchReportsAccuracyOfEveryEstimatorAndSpeedOfEveryModel() {
    CommandLine cl = Main.newCommandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    int code = cl.execute("dev", "bench", "fit", "--voxels", "100", "--speed-voxels", "500",
        "--refine-voxels", "3", "--protocol", "0x3,700x12,2000x20");
    assertEquals(0, code);
    String text = out.toString();
    for (String row : new String[] {"amico       inf", "amico        30", "search      inf",
        "search       30", "refined      30", "noddi search", "dti (b <= 1500)"}) {
      assertTrue(text.contains(row), "missing " + row + " in\n" + text);
    }
    assertTrue(text.contains("b0 x 3, b=700 x 12, b=2000 x 20"), text);
  }
}
