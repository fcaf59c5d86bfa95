package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.op.OpTarget;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * {@code Det} (opset 11) composed from primitives: the determinant of each square matrix in the last two axes,
 * by cofactor expansion along the first row ({@code det M = sum_j (-1)^j M[0, j] det(minor_0j)}). That is exact
 * arithmetic on the entries, no pivoting, and its size grows as n!, so it is offered for matrices up to
 * {@value #MAX_N} x {@value #MAX_N} (the sizes of geometric transforms, which is where ONNX models use Det).
 */
final class MatrixImporters {
  /** The largest matrix side composed (n! products). */
  static final int MAX_N = 4;

  private MatrixImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Det", MatrixImporters::det);
  }

  private static void det(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    Object x = c.in(0);
    var t = ImportContext.typeOf(x);
    Shape s = t.shape();
    if (!t.dtype().isFloating()) throw c.fail("input X must be a floating tensor, got " + t.dtype());
    if (s.rank() < 2) throw c.fail("input X must have rank >= 2 (matrices in the last two axes), got " + s);
    var rows = s.dim(s.rank() - 2);
    var cols = s.dim(s.rank() - 1);
    if (!rows.isStatic() || !cols.isStatic()) throw c.unsupported("the matrix size must be static, got " + s);
    if (rows.size() != cols.size()) throw c.fail("the matrices must be square, got " + s);
    int size = (int) rows.size();
    if (size > MAX_N) {
      throw c.unsupported(size + " x " + size + " matrices: Det is composed by cofactor expansion, offered up to " + MAX_N + " x " + MAX_N);
    }
    int[] all = new int[size];
    for (int i = 0; i < size; i++) all[i] = i;
    c.define(expand(c.step(), x, all, all));
  }

  /** The determinant of the submatrix of x on {@code rows} x {@code cols} (equal lengths), shape x's minus two axes. */
  private static Object expand(OpTarget<Object> s, Object x, int[] rows, int[] cols) {
    if (rows.length == 1) return entry(s, x, rows[0], cols[0]);
    Object acc = null;
    int[] rest = java.util.Arrays.copyOfRange(rows, 1, rows.length);
    for (int j = 0; j < cols.length; j++) {
      int[] minorCols = new int[cols.length - 1];
      for (int k = 0, w = 0; k < cols.length; k++) if (k != j) minorCols[w++] = cols[k];
      Object term = Ops.mul(s, entry(s, x, rows[0], cols[j]), expand(s, x, rest, minorCols));
      acc = acc == null ? term : (j % 2 == 0 ? Ops.add(s, acc, term) : Ops.sub(s, acc, term));
    }
    return acc;
  }

  /** x[..., i, j]. */
  private static Object entry(OpTarget<Object> s, Object x, int i, int j) {
    Object row = Ops.gather(s, x, index(i), -2);
    return Ops.gather(s, row, index(j), -1);
  }

  private static HostTensor index(long i) { return HostTensor.fromDoubles(DType.I64, new double[] {i}); }
}
