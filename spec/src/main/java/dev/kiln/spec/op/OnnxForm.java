package dev.kiln.spec.op;

/** One way to emit an op, valid from ONNX opset {@link #since()} until a form with a higher since. */
public interface OnnxForm {
  /** The first default-domain opset this form is valid in. */
  int since();

  /** The main ONNX op type it emits (for reports). */
  String opType();

  /** Emits the current node. */
  void emit(OnnxEmitter e);
}
