package dev.kiln.spec.op;

import dev.kiln.spec.DType;
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
  private final java.util.Set<DType> decomposedFor;

  private OnnxLowering(List<OnnxForm> forms, String unsupportedReason) { this(forms, unsupportedReason, java.util.Set.of()); }

  private OnnxLowering(List<OnnxForm> forms, String unsupportedReason, java.util.Set<DType> decomposedFor) {
    List<OnnxForm> sorted = new ArrayList<>(forms);
    sorted.sort(Comparator.comparingInt(OnnxForm::since));
    this.forms = List.copyOf(sorted);
    this.unsupportedReason = unsupportedReason;
    this.decomposedFor = java.util.Set.copyOf(decomposedFor);
  }

  /**
   * This lowering, but a composite whose input 0 has dtype {@code dtype} is exported as its decomposition: for native
   * nodes ONNX Runtime has no kernel of that dtype for (its LSTM: "LSTM operator does not support double yet").
   */
  public OnnxLowering decomposedFor(DType dtype) {
    java.util.Set<DType> s = new java.util.HashSet<>(decomposedFor);
    s.add(dtype);
    return new OnnxLowering(forms, unsupportedReason, s);
  }

  /** Whether a node of this op whose input 0 has dtype {@code dtype} is exported as its decomposition. */
  public boolean decomposes(DType dtype) { return decomposedFor.contains(dtype); }

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
