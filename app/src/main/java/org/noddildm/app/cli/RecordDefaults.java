package org.noddildm.app.cli;

import java.util.Map;
import picocli.CommandLine;

/**
 * Option defaults read from the config records that define them, so that a command's help and
 * behaviour cannot drift from the records: a subclass maps long option names to the records'
 * values. Options it does not name keep their annotation's default.
 */
abstract class RecordDefaults implements CommandLine.IDefaultValueProvider {
  /** Long option name to default value. */
  abstract Map<String, Object> defaults();

  @Override
  public final String defaultValue(CommandLine.Model.ArgSpec arg) {
    if (!(arg instanceof CommandLine.Model.OptionSpec o)) {
      return null;
    }
    Object v = defaults().get(o.longestName());
    return v == null ? null : String.valueOf(v);
  }
}
