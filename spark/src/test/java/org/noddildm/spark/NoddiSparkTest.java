package org.noddildm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.noddildm.app.Main;

/**
 * The BIDS App on Spark in local mode ({@code local[2,2]}: two task threads, two attempts per
 * subject) against {@code noddi bids} on the same dataset: sub-01 with two sessions, sub-02
 * with two runs, sub-03 with a b-vector file one column short, sub-04 with one run; 16^3
 * scans, the classic pipeline, one thread per task and per subject on both sides.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("slow")
class NoddiSparkTest {
  @TempDir
  static Path tmp;
  static Path bids;
  static Path local;
  static Path spark;
  static Run localRun;
  static Run sparkRun;

  /** Exit status and standard output of one run. */
  record Run(int code, String out) {}

  @BeforeAll
  static void runNoddiBidsAndTheSparkJobOnTheSameDataset() throws Exception {
    bids = SparkTestData.dataset(tmp);
    local = tmp.resolve("local");
    spark = tmp.resolve("spark");
    localRun = capture(() -> Main.run("bids", bids.toString(), local.toString(), "participant",
        "--method", "classic", "--n-cpus", "1", "--skip-bids-validation")); // sub-03 is broken
    sparkRun = capture(() -> NoddiSpark.run(bids.toString(), spark.toString(), "participant",
        "--method", "classic", "--n-cpus", "1", "--master", "local[2,2]"));
  }

  @Test
  @Order(1)
  void theSparkJobWritesTheSameFilesAsNoddiBids() throws Exception {
    assertEquals(1, localRun.code(), localRun.out());
    assertEquals(1, sparkRun.code(), sparkRun.out());
    List<String> expected = files(local);
    expected.remove(".failures.lock"); // noddi bids' lock for concurrent array jobs
    assertEquals(expected, files(spark));
    int compared = 0;
    for (String f : expected) {
      if (f.startsWith("logs/") || f.equals("failures.tsv")) {
        continue; // times, and the attempts of the retried subject
      }
      if (f.endsWith(".noddi-subject.json")) {
        assertEquals(withoutTime(local.resolve(f)), withoutTime(spark.resolve(f)), f);
      } else {
        assertTrue(Arrays.equals(Files.readAllBytes(local.resolve(f)),
            Files.readAllBytes(spark.resolve(f))), f + " differs");
      }
      compared++;
    }
    // 5 runs x (4 maps and masks + 7 native, each with its sidecar, and the QC report), 3
    // completion records, dataset_description.json, README, 4 index pages (sub-03's with its
    // failure)
    assertEquals(5 * 23 + 3 + 2 + 4, compared);
    assertTrue(Files.readString(spark.resolve("sub-03.html")).contains("sub-03_dwi.bvec:"
        + " expected 3 rows of"), "the failure on sub-03's index page");
  }

  @Test
  @Order(2)
  void theBrokenSubjectIsRetriedThenListedWithoutFailingTheJob() throws Exception {
    assertTrue(sparkRun.out().contains("sub-03: FAILED: " + bids.resolve(
        "sub-03/dwi/sub-03_dwi.bvec") + ": expected 3 rows of"), sparkRun.out());
    assertTrue(sparkRun.out().contains("3 done, 0 skipped (already complete), 1 failed"),
        sparkRun.out());
    assertEquals(rows(local.resolve("failures.tsv")), rows(spark.resolve("failures.tsv")));
    String log = Files.readString(spark.resolve("logs/sub-03.log"));
    assertTrue(log.contains("sub-03: attempt 1 of 2 failed; Spark retries it"), log);
    assertEquals(2, log.split("sub-03: FAILED: ", -1).length - 1, "two attempts: " + log);
    assertFalse(Files.exists(spark.resolve("sub-03")), "no half subject");
    try (Stream<Path> s = Files.list(spark.resolve(".work"))) {
      assertEquals(0, s.count(), "no staging folder left");
    }
  }

  @Test
  @Order(3)
  void theModelIsOpenedOncePerExecutorNotPerSubject() {
    // local mode: the driver and the executor are one JVM, which opened the model once
    assertEquals(1, ExecutorModel.loads());
  }

  @Test
  @Order(4)
  void aRerunSkipsTheFinishedSubjectsAndRetriesTheBrokenOne() throws Exception {
    String before = Files.readString(spark.resolve("sub-02/.noddi-subject.json"));
    Run again = capture(() -> NoddiSpark.run(bids.toString(), spark.toString(), "participant",
        "--method", "classic", "--n-cpus", "1", "--master", "local[2]"));
    assertEquals(1, again.code(), again.out());
    assertTrue(again.out().contains("0 done, 3 skipped (already complete), 1 failed"),
        again.out());
    assertEquals(before, Files.readString(spark.resolve("sub-02/.noddi-subject.json")));
    assertTrue(Files.readString(spark.resolve("logs/sub-02.log")).contains("skipped"));
  }

  @Test
  @Order(5)
  void theGroupTableIsTheOneNoddiBidsWrites() throws Exception {
    Run l = capture(() -> Main.run("bids", bids.toString(), local.toString(), "group"));
    Run s = capture(() -> NoddiSpark.run(bids.toString(), spark.toString(), "group",
        "--master", "local[2]"));
    assertEquals(1, l.code(), l.out());
    assertEquals(1, s.code(), s.out());
    assertEquals(l.out(), s.out());
    List<String> table = Files.readAllLines(spark.resolve("noddi_cohort.tsv"));
    assertEquals(1 + 5 + 1, table.size(), "header, 5 runs, 1 failed subject");
    assertEquals(Files.readAllLines(local.resolve("noddi_cohort.tsv")), table);
    assertEquals(Files.readString(local.resolve("noddi_cohort.json")),
        Files.readString(spark.resolve("noddi_cohort.json")));
  }

  @Test
  @Order(6)
  void anOutputInsideTheInputIsOneClearLine() {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    Run r;
    try {
      r = capture(() -> NoddiSpark.run(bids.toString(), bids.resolve("out").toString(),
          "participant", "--master", "local[1]"));
    } finally {
      System.setErr(old);
    }
    assertEquals(1, r.code());
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("noddi-spark: error: OUTPUT_DIR "
        + bids.resolve("out") + ": expected a folder outside BIDS_DIR (or under"
        + " BIDS_DIR/derivatives/), found a folder inside it"), err.toString());
    assertFalse(Files.exists(bids.resolve("out")), "nothing written into the input");
  }

  /** Every file under a folder, relative, sorted. */
  static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return new ArrayList<>(s.filter(Files::isRegularFile).map(p -> root.relativize(p)
          .toString()).sorted().toList());
    }
  }

  private static String withoutTime(Path record) throws Exception {
    JsonObject o = JsonParser.parseString(Files.readString(record)).getAsJsonObject();
    o.remove("finished");
    return o.toString();
  }

  /** failures.tsv without its time column. */
  private static List<String> rows(Path tsv) throws Exception {
    return Files.readAllLines(tsv).stream().map(l -> l.substring(0, l.lastIndexOf('\t')))
        .toList();
  }

  /** Runs a command with standard output captured (both CLIs print there). */
  static Run capture(java.util.function.IntSupplier command) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = command.getAsInt();
    } finally {
      System.setOut(old);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    old.print(text);
    return new Run(code, text);
  }
}
