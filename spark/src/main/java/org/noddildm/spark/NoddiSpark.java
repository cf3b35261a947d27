package org.noddildm.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.noddildm.app.bids.BidsArguments;
import org.noddildm.core.NoddiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spark-submit --class org.noddildm.spark.NoddiSpark noddi-spark.jar BIDS_DIR OUTPUT_DIR
 * participant|group [options of noddi bids]}: the BIDS App on Apache Spark. The participant
 * level runs one task per subject ({@link ParticipantJob}); the group level computes the cohort
 * table's rows in the executors ({@link GroupJob}). The outputs are those of {@code noddi bids}
 * on one machine (docs/spark.md). Exit status as {@code noddi bids}: 0, 1 when a subject
 * failed, 2 for a wrong command line.
 */
@Command(name = "noddi-spark", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The BIDS App (noddi bids) on Apache Spark: one task per subject, any Hadoop"
        + " filesystem (file:, hdfs://, s3a://) for input and output.",
        "Run it with spark-submit, or with ./noddi-spark for local mode."})
public final class NoddiSpark implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "BIDS_DIR",
      description = "The BIDS dataset: a path or Hadoop filesystem URI.")
  String bidsDir;

  @Parameters(index = "1", paramLabel = "OUTPUT_DIR",
      description = "Where the derivatives go: a path or Hadoop filesystem URI.")
  String outputDir;

  /** The BIDS-Apps analysis levels. */
  enum Level { participant, group }

  @Parameters(index = "2", paramLabel = "participant|group", description = "Analysis level.")
  Level level;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g."
      + " local[2,2] (2 threads, 2 attempts per subject); default: spark-submit's, else"
      + " local[*,2].")
  String master;

  @Mixin
  BidsArguments args = new BidsArguments();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] argv) {
    System.exit(run(argv));
  }

  /** Runs the job and returns the exit status. */
  public static int run(String... argv) {
    CommandLine cl = new CommandLine(new NoddiSpark());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("noddi-spark: " + e.getMessage()
          + " (see 'noddi-spark --help')");
      return 2;
    });
    cl.setExecutionExceptionHandler((e, c, p) -> {
      c.getErr().println("noddi-spark: error: " + (e instanceof NoddiException
          || e instanceof java.io.IOException ? e.getMessage() : e.toString()));
      return 1;
    });
    return cl.execute(argv);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    SparkConf conf = new SparkConf().setAppName("noddi bids " + level);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*,2]");
    }
    args.nCpus(); // checks the resources before Spark starts
    args.memGb();
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      int threads = args.nCpus() != null ? args.nCpus() : sc.getConf().getInt("spark.task.cpus",
          1);
      JobSpec job = new JobSpec(bidsDir, outputDir, optionArgs(), threads, attempts(sc.getConf()),
          JobSpec.differences(sc.hadoopConfiguration()));
      int code = level == Level.participant ? new ParticipantJob(sc, job, args).run(out)
          : new GroupJob(sc, job).run(out);
      out.flush();
      return code;
    }
  }

  /** The options of noddi bids as given (not --master), for the executors to parse again. */
  private List<String> optionArgs() {
    List<String> a = new ArrayList<>();
    for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
      if (o.longestName().equals("--master")) {
        continue;
      }
      for (String v : o.arity().max() == 0 ? List.of("") : o.originalStringValues()) {
        a.add(o.longestName());
        if (!v.isEmpty() || o.arity().max() > 0) {
          a.add(v);
        }
      }
    }
    return a;
  }

  /**
   * Tries per subject: Spark's task attempts. Local mode gives one ({@code local[N]}) unless
   * asked for more ({@code local[N,F]}); a cluster {@code spark.task.maxFailures} (default 4).
   */
  static int attempts(SparkConf conf) {
    String m = conf.get("spark.master", "local").replace(" ", "");
    if (m.startsWith("local")) {
      java.util.regex.Matcher x = java.util.regex.Pattern.compile("local\\[[^,\\]]+,(\\d+)\\]")
          .matcher(m);
      return x.matches() ? Integer.parseInt(x.group(1)) : 1;
    }
    return conf.getInt("spark.task.maxFailures", 4);
  }

  static String plural(long n, String what) {
    return String.format(Locale.ROOT, "%d %s%s", n, what, n == 1 ? "" : "s");
  }
}
