package dev.kiln.spec.harness;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness entry of one op: a class {@code <Op>Cases} beside the op's package in the test tree.
 * One entry feeds every checker: type-rule cases (spec), numeric checks of the exported op in ONNX
 * Runtime against ONNX's backend test data or hand-computed values (runtime), and later gradient and
 * TensorFlow-agreement checks.
 */
public abstract class OpCases {
  /** Builds the op under test in {@code g} from graph inputs {@code in}; returns the outputs. */
  @FunctionalInterface
  public interface Build {
    List<Value> apply(GraphBuilder g, List<Value> in);
  }

  /** A type-rule case: inputs and attributes, and either the expected output types or an error fragment. */
  public record TypeCase(String label, List<TensorType> inputs, Attrs attrs, List<TensorType> expected, String errorFragment) {}

  /**
   * Builds the op from the graph inputs {@code in} (the fed data inputs, in order) and all of the case's
   * input tensors {@code data} (so constant operands such as axes or shapes can become attributes).
   */
  @FunctionalInterface
  public interface DataBuild {
    List<Value> apply(GraphBuilder g, List<Value> in, List<HostTensor> data);
  }

  /**
   * A case from ONNX's backend test data ({@code node/<name>}): the inputs with indices {@code feed}
   * (null = all) become graph inputs; {@code build} makes the op.
   */
  public record OnnxDataCase(String testName, int[] feed, DataBuild build) {}

  /** A numeric case with hand-computed (or formula-computed) expected outputs. */
  public record NumericCase(String label, List<HostTensor> inputs, Build build, List<HostTensor> expected, double tolerance) {}

  private final List<TypeCase> typeCases = new ArrayList<>();
  private final List<OnnxDataCase> onnxDataCases = new ArrayList<>();
  private final List<NumericCase> numericCases = new ArrayList<>();

  protected OpCases() { define(); }

  /** Declares the cases with {@link #valid}, {@link #invalid}, {@link #onnxData} and {@link #numeric}. */
  protected abstract void define();

  /** The op name: the class name without {@code Cases}. */
  public String op() {
    String n = getClass().getSimpleName();
    return n.substring(0, n.length() - "Cases".length());
  }

  protected void valid(String label, List<TensorType> in, Attrs attrs, TensorType... expected) {
    typeCases.add(new TypeCase(label, in, attrs, List.of(expected), null));
  }

  protected void invalid(String label, List<TensorType> in, Attrs attrs, String errorFragment) {
    typeCases.add(new TypeCase(label, in, attrs, null, errorFragment));
  }

  /** An ONNX backend data case whose inputs are all graph inputs. */
  protected void onnxData(String testName, Build build) {
    onnxDataCases.add(new OnnxDataCase(testName, null, (g, in, data) -> build.apply(g, in)));
  }

  /**
   * An ONNX backend data case where only inputs {@code feed} are graph inputs; the others (constant
   * operands in the data, e.g. axes) are read from {@code data} by {@code build}.
   */
  protected void onnxData(String testName, int[] feed, DataBuild build) {
    onnxDataCases.add(new OnnxDataCase(testName, feed, build));
  }

  protected void numeric(String label, List<HostTensor> in, Build build, List<HostTensor> expected) {
    numericCases.add(new NumericCase(label, in, build, expected, 1e-5));
  }

  protected void numeric(String label, List<HostTensor> in, Build build, List<HostTensor> expected, double tol) {
    numericCases.add(new NumericCase(label, in, build, expected, tol));
  }

  /** Shorthand: apply this case's op with {@code attrs} to every graph input. */
  protected Build op(Attrs attrs) {
    return (g, in) -> g.apply(op(), in, attrs);
  }

  /**
   * Whether the op is smooth (twice differentiable everywhere on the inputs the gradient checker
   * draws), so its second derivatives are checked against finite differences too. Ops with kinks
   * (Relu, Max, pooling) keep the default, false.
   */
  public boolean smooth() { return false; }

  /**
   * The interval the gradient checker draws floating inputs from, uniformly; ops defined on part of
   * the line (Log, Sqrt) narrow it. The default keeps clear of 0 on neither side: [-2, 2].
   */
  public double[] gradientInputRange() { return new double[] {-2, 2}; }

  /**
   * Whether random inputs of a valid case's types are valid inputs of the op, as the TF-vs-ONNX Runtime
   * agreement check assumes. Ops whose int64 operand is a shape, axes or repeats (DynamicReshape, Tile...)
   * say false: random entries would be invalid shapes; their onnxData and numeric cases run on both back ends.
   */
  public boolean randomInputsValid() { return true; }

  public List<TypeCase> typeCases() { return List.copyOf(typeCases); }

  public List<OnnxDataCase> onnxDataCases() { return List.copyOf(onnxDataCases); }

  public List<NumericCase> numericCases() { return List.copyOf(numericCases); }

  /** Helpers for writing types tersely: {@code t(F32, 2, 3)}; symbols as strings: {@code t(F32, "batch", 3)}. */
  protected static TensorType t(dev.kiln.spec.DType d, Object... dims) {
    return new TensorType(d, dev.kiln.spec.Shape.parse(dims));
  }

  /** The harness entry for an op, or {@code null} if it has none. */
  public static OpCases forOp(dev.kiln.spec.op.Op op) {
    try {
      Class<?> c = Class.forName(op.getClass().getName() + "Cases");
      var ctor = c.getDeclaredConstructor();
      ctor.setAccessible(true);
      return (OpCases) ctor.newInstance();
    } catch (ClassNotFoundException e) {
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + op.getClass().getName() + "Cases: " + e, e);
    }
  }
}
