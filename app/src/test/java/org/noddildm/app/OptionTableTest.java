package org.noddildm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every option name that more than one command takes stands in docs/user-guide.md's option
 * table, which says its one meaning: so a new command cannot give a shared name a second
 * meaning without the table (and its reader) hearing of it.
 */
class OptionTableTest {
  /** Long option name -> the commands (paths) that take it, hidden commands included. */
  static Map<String, Set<String>> options(CommandLine cl, String path, Map<String, Set<String>> out) {
    for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
      if (!o.hidden()) {
        out.computeIfAbsent(o.longestName(), k -> new TreeSet<>()).add(path);
      }
    }
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      CommandLine sub = e.getValue();
      if (sub.getCommandName().equals(e.getKey())) { // not an alias
        options(sub, (path + " " + e.getKey()).strip(), out);
      }
    }
    return out;
  }

  @Test
  void everySharedOptionNameHasOneRowInTheUserGuidesTable() throws IOException {
    String guide = Files.readString(Path.of("..", "docs", "user-guide.md"));
    String table = guide.substring(guide.indexOf("### Options: one name, one meaning"));
    table = table.substring(0, table.indexOf("\n### ", 5));
    Map<String, Set<String>> all = options(Main.newCommandLine(), "", new TreeMap<>());
    Set<String> missing = new TreeSet<>();
    for (Map.Entry<String, Set<String>> e : all.entrySet()) {
      String name = e.getKey();
      if (e.getValue().size() > 1 && !name.equals("--help") && !name.equals("--version")
          && !table.contains("`" + name)) {
        missing.add(name + " " + e.getValue());
      }
    }
    assertTrue(all.get("--ddim-steps").size() >= 5, "the walk sees the commands: " + all.keySet());
    assertEquals(Set.of(), missing, "shared option names without a row in the user guide's"
        + " option table");
  }
}
