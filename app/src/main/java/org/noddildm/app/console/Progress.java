package org.noddildm.app.console;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: "label [#####.....] 52% 1234/2400 3.1k it/s ETA 0:12".
 * On a terminal it redraws in place; otherwise (logs, CI) it prints a line every 10 percent.
 * {@code noddi --no-progress} (any command) turns every bar off for the run.
 */
public final class Progress implements AutoCloseable {
  private static final int WIDTH = 28;
  private static volatile boolean off;

  private final String label;
  private final long total;
  private final String unit;
  private final PrintStream out;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long done;
  private long lastDraw;
  private int lastDecile = -1;
  private long drawnDone = -1;
  private String extra = "";

  public Progress(String label, long total, String unit) {
    this(label, total, unit, off ? null : System.err, System.console() != null);
  }

  Progress(String label, long total, String unit, PrintStream out, boolean terminal) {
    this.label = label;
    this.total = Math.max(1, total);
    this.unit = unit;
    this.out = out; // null: draws nothing
    this.terminal = terminal;
  }

  /** Turns the bars made from now on off (true) or on, for {@code --no-progress}. */
  public static void setOff(boolean value) {
    off = value;
  }

  /** Advances by {@code n} items. Thread-safe. */
  public synchronized void step(long n) {
    done = Math.min(total, done + n);
    draw(false);
  }

  /** Extra text shown after the rate, e.g. current losses. */
  public synchronized void status(String text) {
    extra = text;
  }

  private void draw(boolean last) {
    if (out == null) {
      return;
    }
    long now = System.nanoTime();
    int decile = (int) (10 * done / total);
    if (terminal) {
      if (!last && now - lastDraw < 100_000_000L && done < total) {
        return;
      }
      out.print("\r" + line(now) + "\u001b[K");
    } else {
      // a log gets one line per tenth; the closing line only if the last one is not already it
      if (decile == lastDecile && (!last || drawnDone == done)) {
        return;
      }
      lastDecile = decile;
      out.println(line(now));
    }
    lastDraw = now;
    drawnDone = done;
    out.flush();
  }

  private String line(long now) {
    double secs = Math.max(1e-9, (now - start) / 1e9);
    double rate = done / secs;
    int filled = (int) (WIDTH * done / total);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    String eta = rate > 0 && done < total ? " ETA " + clock((total - done) / rate) : "";
    return String.format(Locale.ROOT, "%s [%s] %3d%% %d/%d %s %s/s%s%s", label, bar,
        100 * done / total, done, total, human(rate), unit, eta,
        extra.isEmpty() ? "" : " " + extra);
  }

  private static String human(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    }
    if (v >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String clock(double secs) {
    long s = Math.round(secs);
    return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** Seconds since the bar was made. */
  public double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  @Override
  public synchronized void close() {
    draw(true);
    if (terminal && out != null) {
      out.println();
    }
  }
}
