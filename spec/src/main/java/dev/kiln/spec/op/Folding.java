package dev.kiln.spec.op;

import dev.kiln.spec.DType;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.KilnException;
import dev.kiln.spec.TensorType;
import dev.kiln.spec.ir.Attrs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The one folding mechanism: {@link #fold} applies an op's {@link Folder} to what is known of its inputs.
 * The compiler's {@code ConstantFolding} pass and the ONNX importer both call it, so a shape computation
 * such as {@code Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1]))} folds the same way wherever it
 * appears. Also the building blocks op folders share: broadcasting arithmetic over constants or shape
 * values ({@link #binary}) and shape-only views ({@link #view}).
 */
public final class Folding {
  /**
   * The largest constant a fold makes, in elements. NOTE: folding must not blow up model size or host
   * memory: a broadcast of two small constants (or a hostile model's ConstantOfShape) can be huge, while the
   * runtime computes it cheaply.
   */
  public static final long MAX_ELEMENTS = 1_000_000;

  private Folding() {}

  /** Whether a tensor of {@code shape} is small enough to fold (no overflow, at most {@link #MAX_ELEMENTS}). */
  public static boolean fits(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) return false;
      if (d == 0) return true;
      if (n > MAX_ELEMENTS / d) return false;
      n *= d;
    }
    return n <= MAX_ELEMENTS;
  }

  /**
   * Folds one application of {@code op}: one {@link Folded} per output, or {@code null} when the op has no
   * folder, the inputs or attributes do not fit its signature (the caller's builder then reports that), an
   * optional input is absent, the folder declines, or a constant result exceeds {@link #MAX_ELEMENTS}.
   * The op's type rule runs first, so folding never skips a check the graph would make: its
   * {@link dev.kiln.spec.ShapeException} propagates. A result whose type contradicts the type rule is a bug
   * in the folder ({@link KilnException}).
   */
  public static List<Folded> fold(Op op, List<Folded> inputs, Attrs attrs) {
    Folder folder = op.folder();
    // NOTE: a node without inputs (a random op) is not constant just because it has no inputs.
    if (folder == null || inputs.isEmpty()) return null;
    Signature sig = op.signature();
    if (inputs.size() < sig.minInputs() || inputs.size() > sig.maxInputs()) return null;
    for (Folded f : inputs) if (f == null) return null;
    Attrs complete = complete(op, attrs);
    if (complete == null) return null;
    List<TensorType> outTypes = op.inferTypes(types(inputs), complete);
    List<Folded> res = folder.fold(inputs, complete);
    if (res == null) return null;
    if (res.size() != outTypes.size()) {
      throw new KilnException("folder of " + op.name() + " returned " + res.size() + " values for " + outTypes.size() + " outputs");
    }
    for (int i = 0; i < res.size(); i++) {
      Folded r = res.get(i);
      if (r == null || r.isRunTime()) return null;
      if (r.constant() != null && !fits(r.constant().shape())) return null;
      if (!refines(r.type(), outTypes.get(i))) {
        throw new KilnException("folder of " + op.name() + " made " + r.type() + " where its type rule gives " + outTypes.get(i));
      }
    }
    return res;
  }

  /** {@code attrs} with the signature's defaults filled in; null when one is unknown, of the wrong kind, or missing. */
  public static Attrs complete(Op op, Attrs attrs) {
    Attrs out = attrs;
    List<AttrSpec> specs = op.signature().attrs();
    for (String k : attrs.asMap().keySet()) if (specs.stream().noneMatch(s -> s.name().equals(k))) return null;
    for (AttrSpec s : specs) {
      if (!out.has(s.name())) {
        if (s.isRequired()) return null;
        out = out.with(s.name(), s.defaultValue());
      }
      if (!s.kind().javaType().isInstance(out.get(s.name()))) return null;
    }
    return out;
  }

  /** The inputs' types. */
  public static List<TensorType> types(List<Folded> in) {
    List<TensorType> t = new ArrayList<>();
    for (Folded f : in) t.add(f.type());
    return t;
  }

  /** Same dtype and rank, and no static dim of one differs from a static dim of the other. */
  private static boolean refines(TensorType got, TensorType want) {
    if (got.dtype() != want.dtype() || got.rank() != want.rank()) return false;
    for (int i = 0; i < got.rank(); i++) {
      Dim a = got.shape().dim(i);
      Dim b = want.shape().dim(i);
      if (a.isStatic() && b.isStatic() && a.size() != b.size()) return false;
    }
    return true;
  }

  /**
   * A broadcasting binary op's folder: constants through {@link HostMath#binary} ({@code real} for floats,
   * {@code integer} for integers; an {@link ArithmeticException} from either declines the fold), and
   * integer shape values entry by entry through {@code symbolic} (a null entry declines), with NumPy
   * broadcasting of one-entry operands.
   */
  public static Folder binary(DoubleBinaryOperator real, LongBinaryOperator integer, BinaryOperator<SymInt> symbolic) {
    return (in, attrs) -> {
      HostTensor a = in.get(0).constant();
      HostTensor b = in.get(1).constant();
      if (a != null && b != null) {
        if (!HostMath.supports(a.dtype()) || !fits(HostMath.broadcastShape(a.shape(), b.shape()))) return null;
        try {
          return List.of(Folded.of(HostMath.binary(a, b, real, integer)));
        } catch (ArithmeticException e) {
          return null;
        }
      }
      return entrywise(in.get(0), in.get(1), symbolic);
    };
  }

  /**
   * Two integer values of rank 0 or 1 (at least one symbolic) combined entry by entry with NumPy
   * broadcasting of one-entry operands; null when either is not such a value or {@code f} gives null.
   */
  public static List<Folded> entrywise(Folded a, Folded b, BinaryOperator<SymInt> f) {
    List<SymInt> x = a.entries();
    List<SymInt> y = b.entries();
    if (x == null || y == null) return null;
    int n = x.size() == 1 ? y.size() : x.size();
    if (x.size() != n && x.size() != 1 || y.size() != n && y.size() != 1) return null;
    List<SymInt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SymInt r = f.apply(x.get(x.size() == 1 ? 0 : i), y.get(y.size() == 1 ? 0 : i));
      if (r == null) return null;
      out.add(r);
    }
    DType dt = a.type().dtype();
    return List.of(Folded.ints(dt, out, a.isScalar() && b.isScalar()));
  }

  /**
   * The folder of an op that only changes x's shape (Reshape, Flatten, Squeeze, Unsqueeze): a constant keeps
   * its bytes in the shape the type rule gives; a shape value keeps its entries while the result has rank 0
   * or 1; a fill keeps its value in the new shape.
   */
  public static Folder view(Op op) {
    return (in, attrs) -> {
      Folded x = in.get(0);
      TensorType out = op.inferTypes(types(in), attrs).get(0);
      if (x instanceof Folded.Const c) return out.shape().isStatic() ? List.of(Folded.of(c.tensor().reshape(out.shape().sizes()))) : null;
      if (x instanceof Folded.ShapeValue s) return out.rank() <= 1 ? List.of(Folded.ints(s.dtype(), s.entries(), out.rank() == 0)) : null;
      if (x instanceof Folded.Fill f) {
        List<SymInt> dims = new ArrayList<>();
        for (Dim d : out.shape().dims()) dims.add(SymInt.of(d));
        return List.of(Folded.fill(f.value(), dims));
      }
      return null;
    };
  }
}
