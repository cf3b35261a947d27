package org.noddildm.core.physics.phantom;

import java.util.Locale;
import org.noddildm.core.BadArgumentException;

/**
 * Where a simulated subject's anatomy comes from: the procedural {@link BrainPhantom} (the
 * default), or a real template of Debian's {@code mricron-data} package made into an
 * anatomical phantom ({@code physics.anatomy}) with random per-subject variation.
 */
public enum Anatomy {
  /** The seeded procedural phantom of {@link BrainPhantom}. */
  PROCEDURAL("procedural", false),
  /** Colin27 (Holmes et al. 1998), the 1 mm MNI single-subject T1 with AAL and JHU atlases. */
  COLIN27("colin27", false),
  /**
   * INIA19 (Rohlfing et al. 2012), a rhesus macaque template scaled by 2 to human size. Held
   * out: a benchmark anatomy only, never to be trained on.
   */
  INIA19("inia19", true);

  private final String id;
  private final boolean heldOut;

  Anatomy(String id, boolean heldOut) {
    this.id = id;
    this.heldOut = heldOut;
  }

  /** The name used on the command line and in dataset.json. */
  public String id() {
    return id;
  }

  /** True for an anatomy kept out of training: benchmarks only. */
  public boolean heldOut() {
    return heldOut;
  }

  /** The anatomy named {@code s} (case-insensitive). */
  public static Anatomy parse(String s) {
    String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    for (Anatomy a : values()) {
      if (a.id.equals(k)) {
        return a;
      }
    }
    throw new BadArgumentException("anatomy: expected procedural, colin27 or inia19, found '"
        + s + "'");
  }
}
