package dev.kiln.samples.conformance;

/** The result of one case on one back end: pass, fail (with why) or unsupported (with why). */
record Outcome(Kind kind, String detail) {
  enum Kind { PASS, FAIL, UNSUPPORTED }

  static Outcome pass() { return new Outcome(Kind.PASS, ""); }

  static Outcome fail(String why) { return new Outcome(Kind.FAIL, oneLine(why)); }

  static Outcome unsupported(String why) { return new Outcome(Kind.UNSUPPORTED, oneLine(why)); }

  private static String oneLine(String s) {
    String t = s == null ? "(no message)" : s.strip().replaceAll("\\s*\\n\\s*", "; ").replace("|", "\\|");
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }
}
