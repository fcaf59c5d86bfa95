package dev.kiln.interop.torch;

import java.util.List;

/**
 * What {@link Weights#load} matched, like PyTorch's {@code load_state_dict} result: parameters the
 * state dict did not provide ({@code missing}), state-dict keys no parameter took ({@code unexpected}),
 * keys whose shape or dtype did not fit ({@code mismatched}, one readable line each), and the
 * parameters that were loaded.
 */
public record LoadReport(List<String> loaded, List<String> missing, List<String> unexpected, List<String> mismatched) {
  public LoadReport {
    loaded = List.copyOf(loaded);
    missing = List.copyOf(missing);
    unexpected = List.copyOf(unexpected);
    mismatched = List.copyOf(mismatched);
  }

  /** True when every parameter was loaded and every key was used. */
  public boolean isComplete() { return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty(); }

  /** All problems in one message, PyTorch style. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (!missing.isEmpty()) sb.append("missing keys: ").append(missing).append('\n');
    if (!unexpected.isEmpty()) sb.append("unexpected keys: ").append(unexpected).append('\n');
    for (String m : mismatched) sb.append("size mismatch: ").append(m).append('\n');
    return sb.length() == 0 ? "all " + loaded.size() + " parameters loaded" : sb.toString().strip();
  }

  /**
   * Counts, and at most {@value #SHOWN} names of each list ("... and N more"), one list a line: a ResNet's report
   * would otherwise print a hundred names on one line. {@link #describe} lists every problem in full.
   */
  @Override public String toString() {
    return "LoadReport: " + loaded.size() + " loaded" + line("missing", missing) + line("unexpected", unexpected)
        + line("mismatched", mismatched);
  }

  static final int SHOWN = 8;

  private static String line(String what, List<String> names) {
    if (names.isEmpty()) return "";
    String shown = String.join(", ", names.subList(0, Math.min(SHOWN, names.size())));
    return "\n  " + names.size() + " " + what + ": " + shown + (names.size() > SHOWN ? ", ... and " + (names.size() - SHOWN) + " more" : "");
  }
}
