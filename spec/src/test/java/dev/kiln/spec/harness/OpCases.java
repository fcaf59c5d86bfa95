package dev.kiln.spec.harness;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import dev.kiln.spec.ir.GraphBuilder;
import dev.kiln.spec.ir.Value;
import dev.kiln.spec.op.Folded;
import dev.kiln.spec.op.SymInt;
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

  /**
   * A folding case: what is known of the inputs ({@link Folded} constants, shape values, fills or run-time
   * types), the attributes, and the outputs the op's folder must give through {@link
   * dev.kiln.spec.op.Folding#fold}; {@code expected} null means the folder must decline, unless
   * {@code errorFragment} is set: then folding must fail with a message containing it (inputs the op rejects
   * at run time, such as an index out of range).
   */
  public record FoldCase(String label, List<Folded> inputs, Attrs attrs, List<Folded> expected, String errorFragment) {}

  private final List<TypeCase> typeCases = new ArrayList<>();
  private final List<FoldCase> foldCases = new ArrayList<>();
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

  /** The op these cases are for (looked up by {@link #op()}: the harness pairs ops and cases by name). */
  public dev.kiln.spec.op.Op theOp() { return dev.kiln.spec.op.OpRegistry.get(op()); }

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

  /** A folding case whose outputs are {@code expected}. */
  protected void folds(String label, List<Folded> in, Attrs attrs, Folded... expected) {
    foldCases.add(new FoldCase(label, in, attrs, List.of(expected), null));
  }

  /** A folding case the folder must decline (the node stays, computed at run time). */
  protected void declines(String label, List<Folded> in, Attrs attrs) {
    foldCases.add(new FoldCase(label, in, attrs, null, null));
  }

  /** A folding case the fold must reject with an error containing {@code errorFragment}. */
  protected void foldFails(String label, List<Folded> in, Attrs attrs, String errorFragment) {
    foldCases.add(new FoldCase(label, in, attrs, null, errorFragment));
  }

  /** Shorthand: apply this case's op with {@code attrs} to every graph input. */
  protected Build op(Attrs attrs) {
    return (g, in) -> g.apply(theOp(), in, attrs);
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

  public List<FoldCase> foldCases() { return List.copyOf(foldCases); }

  /** Folding helpers: a constant, a run-time value of a type, a shape value (i64, entries as numbers or symbol names). */
  protected static Folded known(HostTensor t) { return Folded.of(t); }

  protected static Folded runTime(TensorType t) { return Folded.runTime(t); }

  /** An i64 vector of entries: numbers are static, strings symbols, {@code "2*batch"} a multiple, "?" unknown. */
  protected static Folded symShape(Object... entries) { return Folded.ints(dev.kiln.spec.DType.I64, syms(entries), false); }

  /** A constant i64 vector. */
  protected static Folded longs(long... v) { return Folded.of(HostTensor.ofLongs(v, v.length)); }

  /** A constant i64 scalar. */
  protected static Folded longScalar(long v) { return Folded.of(HostTensor.ofLongs(new long[] {v})); }

  /** A tensor of shape {@code dims} (see {@link #syms}) whose elements all equal the one-element {@code value}. */
  protected static Folded fill(HostTensor value, Object... dims) { return Folded.fill(value, syms(dims)); }

  /** An i64 scalar entry (see {@link #symShape}). */
  protected static Folded symDim(Object entry) { return Folded.ints(dev.kiln.spec.DType.I64, syms(entry), true); }

  /** Entries from numbers, symbol names, {@code "k*name"} multiples and "?" (unknown). */
  protected static List<SymInt> syms(Object... entries) {
    List<SymInt> out = new ArrayList<>();
    for (Object e : entries) {
      if (e instanceof Number n) {
        out.add(SymInt.of(n.longValue()));
      } else if (e.equals("?")) {
        out.add(SymInt.unknown());
      } else {
        String s = (String) e;
        int star = s.indexOf('*');
        out.add(star < 0 ? SymInt.of(dev.kiln.spec.Dim.symbolic(s))
            : new SymInt(Long.parseLong(s.substring(0, star)), dev.kiln.spec.Dim.symbolic(s.substring(star + 1))));
      }
    }
    return out;
  }

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
