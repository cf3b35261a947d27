package org.noddildm.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.noddildm.app.bids.BidsArguments;
import picocli.CommandLine;

/**
 * What every task of a job needs, sent with the tasks: the dataset and output places, the
 * {@code noddi bids} options as they were given (each executor parses them again with the same
 * {@link BidsArguments}, so that the driver and the executors cannot disagree on a default),
 * and the resources.
 *
 * @param bids the BIDS dataset, a Hadoop filesystem URI or path
 * @param out the derivatives folder, a Hadoop filesystem URI or path
 * @param options the option arguments of {@code noddi bids} (no positional ones)
 * @param threads threads per task: Java fits and PyTorch (--n-cpus, default spark.task.cpus)
 * @param attempts tries per subject before its failure is recorded (Spark's task max failures)
 * @param hadoop the driver's Hadoop settings that differ from the defaults (spark.hadoop.*)
 */
record JobSpec(String bids, String out, List<String> options, int threads, int attempts,
    Map<String, String> hadoop) implements Serializable {
  JobSpec {
    options = List.copyOf(options);
    hadoop = Map.copyOf(hadoop);
    if (threads < 1 || attempts < 1) {
      throw new IllegalArgumentException("threads and attempts: expected >= 1, found "
          + threads + " and " + attempts);
    }
  }

  /** The options, parsed as {@code noddi bids} parses them. */
  BidsArguments arguments() {
    BidsArguments a = new BidsArguments();
    CommandLine cl = new CommandLine(a);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.parseArgs(options.toArray(String[]::new));
    return a;
  }

  /** The Hadoop configuration of the driver, rebuilt in an executor. */
  Configuration hadoopConf() {
    Configuration c = new Configuration();
    hadoop.forEach(c::set);
    return c;
  }

  /** The settings of {@code conf} that differ from Hadoop's defaults. */
  static Map<String, String> differences(Configuration conf) {
    Configuration defaults = new Configuration();
    Map<String, String> m = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : conf) {
      if (!e.getValue().equals(defaults.getRaw(e.getKey()))) {
        m.put(e.getKey(), e.getValue());
      }
    }
    return m;
  }
}
