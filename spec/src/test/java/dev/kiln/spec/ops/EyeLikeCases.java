package dev.kiln.spec.ops;

import static dev.kiln.spec.DType.F32;
import static dev.kiln.spec.DType.F64;
import static dev.kiln.spec.DType.I32;

import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.harness.OpCases;
import dev.kiln.spec.ir.Attrs;
import java.util.List;

class EyeLikeCases extends OpCases {
  @Override protected void define() {
    valid("square", List.of(t(F32, 3, 3)), Attrs.of("dtype", F32), t(F32, 3, 3));
    valid("wide, above, other dtype", List.of(t(F32, 2, 4)), Attrs.of("dtype", I32, "k", 1L), t(I32, 2, 4));
    invalid("rank 3", List.of(t(F32, 2, 2, 2)), Attrs.of("dtype", F32), "input x must be a matrix of static shape");
    invalid("symbolic", List.of(t(F32, "batch", 2)), Attrs.of("dtype", F32), "input x must be a matrix of static shape");
    // The data's dtypes: populate_off_main_diagonal: i32 -> f32, k 1; with_dtype: i32 -> f64; without_dtype: i32.
    onnxData("test_eyelike_populate_off_main_diagonal", op(Attrs.of("dtype", F32, "k", 1L)));
    onnxData("test_eyelike_with_dtype", op(Attrs.of("dtype", F64)));
    onnxData("test_eyelike_without_dtype", op(Attrs.of("dtype", I32)));
    numeric("below the diagonal", List.of(HostTensor.ofFloats(new float[6], 3, 2)), op(Attrs.of("dtype", DType.F32, "k", -1L)),
        List.of(HostTensor.ofFloats(new float[] {0, 0, 1, 0, 0, 1}, 3, 2)));
  }
}
