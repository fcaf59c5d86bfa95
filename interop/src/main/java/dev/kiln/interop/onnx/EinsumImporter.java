package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.Dim;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.Shape;
import dev.kiln.spec.ops.EyeLike;
import dev.kiln.spec.ops.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ONNX Einsum (opset 12), composed at import: each operand's repeated labels become a diagonal (times an identity
 * mask, summed over the second axis), its axes are transposed into one global label order and unsqueezed to it,
 * the operands are multiplied (broadcasting) and the labels missing from the output are summed away.
 * NOTE: the product is formed before the sum, so a contraction holds one intermediate as large as all labels
 * together (a matrix product of n x k by k x m holds n x k x m); right for every equation, not the fastest.
 */
final class EinsumImporter {
  private EinsumImporter() {}

  /** Labels of ellipsis axes, below every letter: ellipsis axis j (of E, counted from the left) is ELLIPSIS + j. */
  private static final int ELLIPSIS = -1000;

  static void register(Map<String, NodeImporter> m) { m.put("Einsum", EinsumImporter::einsum); }

  private static void einsum(NodeProto n, ImportContext c) {
    c.onlyAttrs("equation");
    String eq = c.attrString("equation", null);
    if (eq == null) throw c.fail("attribute equation is required");
    eq = eq.replaceAll("\\s", "");
    String[] sides = eq.split("->", -1);
    if (sides.length > 2) throw c.fail("equation '" + eq + "' has more than one '->'");
    String[] terms = sides[0].split(",", -1);
    if (terms.length != c.inputCount()) {
      throw c.fail("equation '" + eq + "' has " + terms.length + " operand terms for " + c.inputCount() + " inputs");
    }
    List<Object> xs = new ArrayList<>();
    List<List<Integer>> labels = new ArrayList<>();
    int ellipsisRank = 0;
    for (int k = 0; k < terms.length; k++) {
      Object x = c.in(k);
      if (x == null) throw c.fail("input " + k + " is required");
      int rank = ImportContext.typeOf(x).shape().rank();
      int letters = terms[k].replace("...", "").length();
      int e = rank - letters;
      if (e < 0 || (e > 0 && !terms[k].contains("..."))) {
        throw c.fail("term '" + terms[k] + "' of equation '" + eq + "' does not match input " + k + " of rank " + rank);
      }
      ellipsisRank = Math.max(ellipsisRank, e);
      xs.add(x);
    }
    for (int k = 0; k < terms.length; k++) {
      int rank = ImportContext.typeOf(xs.get(k)).shape().rank();
      labels.add(parse(c, terms[k], rank - terms[k].replace("...", "").length(), ellipsisRank, eq));
    }
    List<Integer> out = new ArrayList<>();
    if (sides.length == 2) {
      out = parse(c, sides[1], sides[1].contains("...") ? ellipsisRank : 0, ellipsisRank, eq);
    } else {
      for (int j = 0; j < ellipsisRank; j++) out.add(ELLIPSIS + j);
      for (char ch : sides[0].replace("...", "").replace(",", "").chars().sorted().distinct().mapToObj(i -> (char) i).toList()) {
        if (sides[0].chars().filter(x -> x == ch).count() == 1) out.add((int) ch);
      }
    }
    List<Integer> order = new ArrayList<>(out);
    for (List<Integer> ls : labels) for (int l : ls) if (!order.contains(l)) order.add(l);
    for (int l : out) {
      if (labels.stream().noneMatch(ls -> ls.contains(l))) throw c.fail("output label " + name(l) + " of equation '" + eq + "' is in no input");
    }
    Object product = null;
    for (int k = 0; k < xs.size(); k++) {
      Object x = diagonals(c, xs.get(k), labels.get(k));
      List<Integer> ls = labels.get(k);
      List<Integer> sorted = new ArrayList<>(ls);
      sorted.sort((a, b) -> Integer.compare(order.indexOf(a), order.indexOf(b)));
      long[] perm = new long[ls.size()];
      for (int i = 0; i < perm.length; i++) perm[i] = ls.indexOf(sorted.get(i));
      if (!isIdentity(perm)) x = Ops.transpose(c.step(), x, perm);
      List<Long> missing = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) if (!ls.contains(order.get(i))) missing.add((long) i);
      if (!missing.isEmpty()) x = Ops.unsqueeze(c.step(), x, missing.stream().mapToLong(Long::longValue).toArray());
      product = product == null ? x : Ops.mul(c.step(), product, x);
    }
    if (order.size() > out.size()) {
      long[] axes = new long[order.size() - out.size()];
      for (int i = 0; i < axes.length; i++) axes[i] = out.size() + i;
      product = Ops.reduceSum(c.step(), product, axes, false);
    }
    c.define(Ops.identity(c, product));
  }

  /** The labels of one term, its ellipsis standing for its last {@code e} of the {@code ellipsisRank} ellipsis axes. */
  private static List<Integer> parse(ImportContext c, String term, int e, int ellipsisRank, String eq) {
    List<Integer> ls = new ArrayList<>();
    for (int i = 0; i < term.length(); i++) {
      char ch = term.charAt(i);
      if (term.startsWith("...", i)) {
        for (int j = ellipsisRank - e; j < ellipsisRank; j++) ls.add(ELLIPSIS + j);
        i += 2;
      } else if (Character.isLetter(ch) && ch < 128) {
        ls.add((int) ch);
      } else {
        throw c.fail("equation '" + eq + "' has '" + ch + "' where a letter, ',' or '...' must be");
      }
    }
    return ls;
  }

  /** Takes the diagonal of every label repeated in one operand (removing its later axes from {@code ls}). */
  private static Object diagonals(ImportContext c, Object x, List<Integer> ls) {
    for (int p = 0; p < ls.size(); p++) {
      for (int q = ls.size() - 1; q > p; q--) {
        if (!ls.get(p).equals(ls.get(q))) continue;
        Shape s = ImportContext.typeOf(x).shape();
        Dim dp = s.dim(p);
        if (!dp.isStatic() || !s.dim(q).isStatic() || dp.size() != s.dim(q).size()) {
          throw c.unsupported("a repeated label (diagonal) needs equal static sizes, got " + dp + " and " + s.dim(q));
        }
        long[] maskShape = new long[s.rank()];
        java.util.Arrays.fill(maskShape, 1);
        maskShape[p] = dp.size();
        maskShape[q] = dp.size();
        HostTensor eye = EyeLike.eye(dp.size(), dp.size(), 0, ImportContext.typeOf(x).dtype()).reshape(maskShape);
        x = Ops.reduceSum(c.step(), Ops.mul(c.step(), x, eye), new long[] {q}, false);
        ls.remove(q);
      }
    }
    return x;
  }

  private static boolean isIdentity(long[] perm) {
    for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
    return true;
  }

  private static String name(int label) { return label < 0 ? "..." : String.valueOf((char) label); }
}
