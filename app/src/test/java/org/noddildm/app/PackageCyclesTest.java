package org.noddildm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the project depend on each other, directly or through others: the
 * dependencies are counted from the main sources of all four modules, from their imports and
 * from fully qualified names in the code (comments and strings left out), and the strongly
 * connected components of that graph (Tarjan 1972) must all be single packages.
 */
class PackageCyclesTest {
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(org\\.noddildm(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  /** Package -> the project's packages its main sources use. */
  static Map<String, Set<String>> graph(Path root) throws IOException {
    Map<String, Set<String>> g = new TreeMap<>();
    for (String module : List.of("core", "model", "app", "spark")) {
      Path src = root.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String code = withoutCommentsAndStrings(Files.readString(f));
          Matcher pm = PACKAGE.matcher(code);
          assertTrue(pm.find(), "a package line in " + f);
          String pkg = pm.group(1);
          Set<String> uses = g.computeIfAbsent(pkg, k -> new TreeSet<>());
          Matcher m = REFERENCE.matcher(code.substring(pm.end()));
          while (m.find()) {
            if (!m.group(1).equals(pkg)) {
              uses.add(m.group(1));
            }
          }
        }
      }
    }
    return g;
  }

  static String withoutCommentsAndStrings(String s) {
    return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
        .replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"").replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"");
  }

  /** The strongly connected components with more than one package. */
  static List<Set<String>> cycles(Map<String, Set<String>> g) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] next = {0};
    for (String v : g.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, g, index, low, stack, onStack, out, next);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> g, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out,
      int[] next) {
    index.put(v, next[0]);
    low.put(v, next[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : g.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, g, index, low, stack, onStack, out, next);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> c = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        c.add(w);
      } while (!w.equals(v));
      if (c.size() > 1) {
        out.add(c);
      }
    }
  }

  @Test
  void noPackagesDependOnEachOther() throws IOException {
    Map<String, Set<String>> g = graph(Path.of("..").toAbsolutePath().normalize());
    assertTrue(g.size() > 30, "expected the project's packages, found " + g.keySet());
    assertEquals(List.of(), cycles(g), "packages that depend on each other");
  }

  @Test
  void theCheckFindsACycle() {
    Map<String, Set<String>> g = new TreeMap<>();
    g.put("a", Set.of("b"));
    g.put("b", Set.of("c"));
    g.put("c", Set.of("a"));
    g.put("d", Set.of("a"));
    assertEquals(List.of(Set.of("a", "b", "c")), cycles(g));
    assertEquals("x ; y", withoutCommentsAndStrings("x /* org.noddildm.a.B */; \"q\" y")
        .replace("\"\"", "").replaceAll(" +", " ").trim().replace(" ;", " ;"));
  }
}
