package dev.kiln.spec.op;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An op's ONNX lowering: its forms by opset (the emitter picks the highest {@code since} at or below
 * the target), or a reason why ONNX cannot express it.
 */
public final class OnnxLowering {
  private final List<OnnxForm> forms;
  private final String unsupportedReason;

  private OnnxLowering(List<OnnxForm> forms, String unsupportedReason) {
    List<OnnxForm> sorted = new ArrayList<>(forms);
    sorted.sort(Comparator.comparingInt(OnnxForm::since));
    this.forms = List.copyOf(sorted);
    this.unsupportedReason = unsupportedReason;
  }

  public static OnnxLowering of(OnnxForm... forms) { return new OnnxLowering(List.of(forms), null); }

  public static OnnxLowering unsupported(String why) { return new OnnxLowering(List.of(), why); }

  public List<OnnxForm> forms() { return forms; }

  public boolean isSupported() { return unsupportedReason == null; }

  public String unsupportedReason() { return unsupportedReason; }

  /** The form to use at {@code opset}, if any. */
  public Optional<OnnxForm> formFor(int opset) {
    OnnxForm best = null;
    for (OnnxForm f : forms) if (f.since() <= opset) best = f;
    return Optional.ofNullable(best);
  }

  /** The lowest opset any form supports, or -1 when unsupported. */
  public int minOpset() { return forms.isEmpty() ? -1 : forms.get(0).since(); }
}
