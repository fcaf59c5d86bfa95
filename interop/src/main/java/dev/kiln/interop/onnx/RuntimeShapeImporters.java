package dev.kiln.interop.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ops.Ops;
import java.util.Map;

/**
 * Ops whose repeats or bounds may be computed at run time: Tile (repeats as an input from opset 6) becomes
 * Tile with a repeats attribute when they are constant, else DynamicTile; Range becomes Range, folded on
 * the host when start, limit and delta are constant.
 */
final class RuntimeShapeImporters {
  private RuntimeShapeImporters() {}

  static void register(Map<String, NodeImporter> m) {
    m.put("Tile", RuntimeShapeImporters::tile);
    m.put("Range", RuntimeShapeImporters::range);
  }

  private static void tile(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    if (c.opset() < 6) throw c.unsupported("Tile before opset 6 (tiles and axis inputs) is not supported");
    if (!c.hasInput(1)) throw c.fail("input 1 (repeats) is required");
    HostTensor r = c.constant(1);
    if (r != null) {
      c.define(Ops.tile(c, c.in(0), r.toLongs()));
    } else {
      c.define(Ops.dynamicTile(c, c.in(0), c.in(1)));
    }
  }

  private static void range(NodeProto n, ImportContext c) {
    c.onlyAttrs();
    for (int i = 0; i < 3; i++) if (!c.hasInput(i)) throw c.fail("input " + i + " (start, limit, delta) is required");
    c.define(Ops.range(c, c.in(0), c.in(1), c.in(2)));
  }
}
