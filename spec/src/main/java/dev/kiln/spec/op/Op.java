package dev.kiln.spec.op;

import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

/**
 * An IR op, defined in one class that keeps side by side: its signature, its type rule, its
 * gradient rule (VJP) and its lowerings to ONNX and TensorFlow, declared as data. Ops are
 * stateless singletons found by {@link OpRegistry}.
 */
public abstract class Op {
  /** Canonical op name; by convention the class's simple name (e.g. {@code Relu}). */
  public String name() { return getClass().getSimpleName(); }

  /** One line saying what the op computes; it appears in {@code docs/ops.md}. */
  public abstract String summary();

  /** Inputs and attributes, with defaults. */
  public abstract Signature signature();

  /**
   * The type rule: output types from input types and complete attributes. Runs the moment a node
   * is built; throws {@link dev.kiln.spec.ShapeException} naming the input, axis, expected and found.
   */
  public abstract List<TensorType> inferTypes(List<TensorType> inputs, Attrs attrs);

  /** How the op lowers to ONNX, by opset. */
  public abstract OnnxLowering onnx();

  /** How the op lowers to TensorFlow. */
  public abstract TfLowering tf();

  /**
   * The reverse-mode rule, or {@code null} while none is declared. Ops whose inputs are never
   * differentiable (integer outputs, shapes) return {@link Vjp#NOT_DIFFERENTIABLE}.
   */
  public Vjp vjp() { return null; }

  /**
   * The decomposition of a composite op into other ops, or {@code null} for a primitive (the default).
   * A composite needs no VJP of its own (autodiff expands it) and may declare its TF lowering
   * {@link TfLowering#unsupported unsupported} (the TF back end expands it) or its ONNX lowering
   * unsupported (the exporter expands it); a native form, where declared, is preferred.
   */
  public Decomposition decomposition() { return null; }

  /** Whether this op declares a {@link #decomposition()}. */
  public final boolean isComposite() { return decomposition() != null; }

  /**
   * The constant-folding rule, or {@code null} when the op is not folded (the default). Ops with
   * side effects or randomness must keep the default.
   */
  public Folder folder() { return null; }

  /**
   * Whether each output element depends only on the input elements at the same index (after
   * broadcasting), with no axis attributes and no shape-dependent constants in its TF lowering: a back
   * end may then run the op on any layout of equally shaped inputs (the TF lowering keeps channels-last
   * activations channels-last through ReLU and the like).
   */
  public boolean pointwise() { return false; }

  /**
   * Whether the TensorFlow back end runs node {@code n} through {@link #tf()} (true by default); a
   * composite whose native TF form covers only some nodes (e.g. f32 only) says false for the others,
   * which then run its decomposition.
   */
  public boolean tfNative(dev.kiln.spec.ir.Node n) { return true; }

  @Override public String toString() { return name(); }
}
