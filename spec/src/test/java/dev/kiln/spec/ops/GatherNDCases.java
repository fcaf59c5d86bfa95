package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.I32;
import static dev.kiln.spec.DType.I64;

import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class GatherNDCases extends OpCases {
  @Override protected void define() {
    // Indexed axes have >= 16 entries so that the random indices of the TF-vs-ORT check stay in range.
    valid("pairs into a matrix", List.of(t(F32, 16, 16), t(I64, 5, 2)), Attrs.EMPTY, t(F32, 5));
    valid("rows", List.of(t(F32, 16, 3), t(I64, 2, 2, 1)), Attrs.EMPTY, t(F32, 2, 2, 3));
    valid("batch_dims 1", List.of(t(F32, 2, 16, 3), t(I32, 2, 4, 1)), Attrs.of("batch_dims", 1L), t(F32, 2, 4, 3));
    invalid("too many coordinates", List.of(t(F32, 4, 4), t(I64, 2, 3)), Attrs.EMPTY, "indices address 3 axes");
    invalid("float indices", List.of(t(F32, 4, 4), t(F32, 2, 2)), Attrs.EMPTY, "input indices must be i32 or i64");
    invalid("batch axes differ", List.of(t(F32, 2, 4), t(I64, 3, 1)), Attrs.of("batch_dims", 1L), "batch axis 0 of data");
    onnxData("test_gathernd_example_float32", op(Attrs.EMPTY));
    onnxData("test_gathernd_example_int32", op(Attrs.EMPTY));
    onnxData("test_gathernd_example_int32_batch_dim1", op(Attrs.of("batch_dims", 1L)));
    HostTensor m = HostTensor.ofFloats(new float[] {0, 1, 2, 10, 11, 12}, 2, 3);
    numeric("pairs, negative", List.of(m, HostTensor.ofLongs(new long[] {1, 2, 0, -1, -1, 0}, 3, 2)), op(Attrs.EMPTY),
        List.of(HostTensor.ofFloats(new float[] {12, 2, 10}, 3)));
    numeric("batch_dims 1 rows", List.of(m, HostTensor.ofLongs(new long[] {2, 0}, 2, 1)), op(Attrs.of("batch_dims", 1L)),
        List.of(HostTensor.ofFloats(new float[] {2, 10}, 2)));
  }
}
