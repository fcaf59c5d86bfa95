package dev.kiln.dsl.layers;

import dev.kiln.dsl.ModelBuilder;
import dev.kiln.dsl.Tensor;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ops.Ops;

/**
 * What the graph layers share: an edge index [2, E] (row 0 the source node of each edge, row 1 its destination,
 * PyTorch Geometric's convention) split into source and destination ids, gathering node rows onto edges, and
 * the segment reductions that bring edge messages back to their destination nodes. The node count is {@code
 * x}'s axis 0 and may be symbolic, so one model runs on graphs of any size.
 */
final class GraphEdges {
  final Tensor<?> src;
  final Tensor<?> dst;
  private final Tensor<?> nodes;
  private final ModelBuilder m;

  private GraphEdges(ModelBuilder m, Tensor<?> src, Tensor<?> dst, Tensor<?> nodes) {
    this.m = m;
    this.src = src;
    this.dst = dst;
    this.nodes = nodes;
  }

  /** Splits {@code edgeIndex} (i32 or i64 [2, E]) checked at the user's line; {@code x} [N, ...] gives the node count. */
  static GraphEdges of(String layer, Tensor<?> x, Tensor<?> edgeIndex) {
    DType it = edgeIndex.dtype();
    if ((it != DType.I64 && it != DType.I32) || edgeIndex.rank() != 2 || !edgeIndex.dim(0).isStatic() || edgeIndex.size(0) != 2) {
      throw Check.input(edgeIndex, "Gather", layer + " needs an edge index of type i64[2, edges] (sources, destinations), got " + edgeIndex.type());
    }
    if (x.rank() != 2 || !x.dim(1).isStatic()) {
      throw Check.input(x, "MatMul", layer + " needs node features [nodes, features] with a static feature count, got " + x.type());
    }
    return new GraphEdges(x.builder(), edgeIndex.slice(0, 0, 1).squeeze(0), edgeIndex.slice(0, 1, 2).squeeze(0), x);
  }

  /** Rows of {@code t} [N, ...] at each edge's source: [E, ...]. */
  <T> Tensor<T> atSource(Tensor<T> t) { return t.gather(src, 0); }

  /** Rows of {@code t} [N, ...] at each edge's destination: [E, ...]. */
  <T> Tensor<T> atDestination(Tensor<T> t) { return t.gather(dst, 0); }

  /** Edge rows [E, ...] summed per destination node: [N, ...]. */
  <T> Tensor<T> sum(Tensor<T> messages) { return m.tensor(Ops.segmentSum(m.graph(), messages.value(), dst.value(), nodes.value())); }

  /** Edge rows [E, ...] averaged per destination node (0 for a node without incoming edges). */
  <T> Tensor<T> mean(Tensor<T> messages) { return m.tensor(Ops.segmentMean(m.graph(), messages.value(), dst.value(), nodes.value())); }

  /** Edge rows [E, ...] maximised per destination node (0 for a node without incoming edges). */
  <T> Tensor<T> max(Tensor<T> messages) { return m.tensor(Ops.segmentMax(m.graph(), messages.value(), dst.value(), nodes.value())); }

  /** Incoming edges per node, in {@code like}'s dtype: [N]. */
  <T> Tensor<T> inDegree(Tensor<T> like) {
    HostTensor one = HostTensor.fromDoubles(like.dtype(), new double[] {1}, 1);
    Tensor<T> ones = m.tensor(Ops.constantOfShape(m.graph(), Ops.shape(m.graph(), dst.value()), one));
    return sum(ones);
  }
}
