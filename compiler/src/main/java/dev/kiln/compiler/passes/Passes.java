package dev.kiln.compiler.passes;

import dev.kiln.spec.ir.DeadCodeElimination;
import dev.kiln.spec.ir.EvalMode;
import dev.kiln.spec.ir.Graph;

/** The pass pipelines the back ends run. */
public final class Passes {
  private Passes() {}

  /**
   * Before ONNX export: the eval-mode rewrite (ONNX gets the inference form), drop dead code, fold
   * constants, drop what folding left dead.
   */
  public static Graph forExport(Graph g) { return forExport(g, false); }

  /** {@link #forExport(Graph)}, keeping training-form Dropout when {@code keepDropout} (Monte Carlo dropout). */
  public static Graph forExport(Graph g, boolean keepDropout) {
    Graph out = DeadCodeElimination.run(EvalMode.run(g, keepDropout));
    out = ConstantFolding.run(out);
    return DeadCodeElimination.run(out);
  }

  /** Before ONNX export of a training step: as {@link #forExport} without the eval-mode rewrite. */
  public static Graph forTrainingExport(Graph g) {
    return DeadCodeElimination.run(ConstantFolding.run(DeadCodeElimination.run(g)));
  }
}
