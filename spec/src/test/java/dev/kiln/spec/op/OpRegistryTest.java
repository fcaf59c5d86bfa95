package dev.kiln.spec.op;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.spec.harness.Goldens;
import dev.kiln.spec.harness.OpCases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when any op is incomplete, and keeps {@code docs/ops.md} (the op-by-capability
 * table) equal to what the registry says.
 */
class OpRegistryTest {
  /**
   * Whether every op must declare a gradient rule. Off while the ops' VJPs are being written; switch
   * it on once they have landed (the gradient checker in runtime then covers each one).
   */
  static final boolean REQUIRE_VJP = true;

  /** Ops allowed to lack a VJP even when {@link #REQUIRE_VJP} is on; each entry should say why. */
  static final java.util.Set<String> MAY_LACK_VJP = java.util.Set.of(
      // Gradient-only ops (they appear in backward graphs of Conv and MaxPool): second-order gradients through
      // convolutions and max pooling are not supported yet; Autodiff names them if a graph needs it.
      "ConvFilterGrad", "MaxPoolGrad");

  /** Ops whose folder folds every input (so no harness case can show a refusal); each entry says why. */
  static final java.util.Set<String> NEVER_DECLINES = java.util.Set.of(
      // The shape of any value is known from its type: static dims as numbers, the rest as symbols or unknown entries.
      "Shape");

  @Test
  void everyOpIsComplete() {
    List<String> problems = new ArrayList<>();
    assertTrue(OpRegistry.all().size() > 0, "the registry found no ops");
    for (Op op : OpRegistry.all()) {
      String n = op.name();
      if (op.summary() == null || op.summary().isBlank()) problems.add(n + ": no summary");
      if (op.signature() == null) problems.add(n + ": no signature");
      if (op.onnx() == null) problems.add(n + ": no ONNX lowering (declare one or Onnx.unsupported(why))");
      else if (op.onnx().isSupported() && op.onnx().formFor(21).isEmpty()) problems.add(n + ": no ONNX form at or below opset 21");
      if (op.tf() == null) problems.add(n + ": no TensorFlow lowering (declare one or TfLowering.unsupported(why))");
      OpCases cases = OpCases.forOp(op);
      if (cases == null) {
        problems.add(n + ": no harness entry " + op.getClass().getName() + "Cases in the test tree");
        continue;
      }
      if (cases.typeCases().stream().noneMatch(c -> c.expected() != null)) problems.add(n + ": no valid type-rule case");
      if (op.signature().inputNames().size() > 0 && cases.typeCases().stream().noneMatch(c -> c.errorFragment() != null)) {
        problems.add(n + ": no type-rule error case");
      }
      if (cases.onnxDataCases().isEmpty() && cases.numericCases().isEmpty()) {
        problems.add(n + ": no numeric case (ONNX backend test data or hand-computed)");
      }
      if (op.folder() != null && cases.foldCases().stream().noneMatch(c -> c.expected() != null)) {
        problems.add(n + ": has a folder but no folding case that folds (OpCases.folds)");
      }
      if (op.folder() != null && !NEVER_DECLINES.contains(n)
          && cases.foldCases().stream().noneMatch(c -> c.expected() == null && c.errorFragment() == null)) {
        problems.add(n + ": has a folder but no folding case it declines (OpCases.declines)");
      }
      if (op.folder() == null && !cases.foldCases().isEmpty()) problems.add(n + ": has folding cases but no folder");
      if (REQUIRE_VJP && op.vjp() == null && !op.isComposite() && !MAY_LACK_VJP.contains(n)) {
        problems.add(n + ": no gradient rule (return a Vjp, a Decomposition, or Vjp.NOT_DIFFERENTIABLE for inputs without gradients)");
      }
    }
    assertTrue(problems.isEmpty(), "incomplete ops:\n  " + String.join("\n  ", problems));
  }

  @Test
  void opsTableIsCurrent() {
    Goldens.check(Path.of("..", "docs", "ops.md"), OpsTable.render());
  }
}
