package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class SpaceToDepthCases extends OpCases {
  @Override protected void define() {
    valid("symbolic batch", List.of(t(F32, "batch", 2, 4, 6)), Attrs.of("blocksize", 2L), t(F32, "batch", 8, 2, 3));
    // (ONNX Runtime has SpaceToDepth for floating types only.)
    valid("blocksize 3", List.of(t(F32, 1, 1, 3, 6)), Attrs.of("blocksize", 3L), t(F32, 1, 9, 1, 2));
    invalid("H not divisible", List.of(t(F32, 1, 1, 3, 4)), Attrs.of("blocksize", 2L), "H and W of x must be divisible by blocksize 2");
    invalid("rank 2", List.of(t(F32, 4, 4)), Attrs.of("blocksize", 2L), "input x must have rank 4");
    onnxData("test_spacetodepth", op(Attrs.of("blocksize", 2L)));
    onnxData("test_spacetodepth_example", op(Attrs.of("blocksize", 2L)));
    // x[c, h, w] = 4c + 2h + w; output channel (i b + j) C + c holds x[c, i, j].
    HostTensor x = HostTensor.ofFloats(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 1, 2, 2, 2);
    numeric("by hand", List.of(x), op(Attrs.of("blocksize", 2L)),
        List.of(HostTensor.ofFloats(new float[] {0, 4, 1, 5, 2, 6, 3, 7}, 1, 8, 1, 1)));
  }

  @Override public boolean smooth() { return true; }
}
