package dev.kiln.samples.conformance;

/**
 * The result of one case on one back end: pass, fail (with why) or unsupported (with why). {@code detail} is shown on
 * one line (the report's table); {@code multiLine} says whether Kiln's message had more than one, which
 * {@link ErrorIdentity} refuses.
 */
record Outcome(Kind kind, String detail, boolean multiLine) {
  enum Kind { PASS, FAIL, UNSUPPORTED }

  static Outcome pass() { return new Outcome(Kind.PASS, "", false); }

  static Outcome fail(String why) { return new Outcome(Kind.FAIL, oneLine(why), isMultiLine(why)); }

  static Outcome unsupported(String why) { return new Outcome(Kind.UNSUPPORTED, oneLine(why), isMultiLine(why)); }

  /** A failure whose test data is wrong: the erratum, then what Kiln said. */
  static Outcome erratum(String erratum, Outcome o) {
    return new Outcome(Kind.FAIL, oneLine("test data erratum: " + erratum + " (" + o.detail() + ")"), o.multiLine());
  }

  private static boolean isMultiLine(String s) { return s != null && s.strip().contains("\n"); }

  private static String oneLine(String s) {
    String t = s == null ? "(no message)" : s.strip().replaceAll("\\s*\\n\\s*", "; ").replace("|", "\\|");
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }
}
