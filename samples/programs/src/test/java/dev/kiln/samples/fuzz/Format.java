package dev.kiln.samples.fuzz;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.kiln.interop.onnx.ImportOptions;
import dev.kiln.interop.onnx.OnnxImporter;
import dev.kiln.interop.safetensors.Safetensors;
import dev.kiln.interop.torch.TorchFile;
import dev.kiln.runtime.io.Npy;
import dev.kiln.spec.DType;
import dev.kiln.spec.HostTensor;
import dev.kiln.spec.ir.Graph;
import dev.kiln.spec.ir.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** The four file formats Kiln reads from untrusted sources: their seed files, mutators and readers. */
enum Format {
  ONNX("onnx"), PT("pt"), SAFETENSORS("safetensors"), NPY("npy");

  /** Real ONNX models (ONNX's backend test data) used as seeds; the ops cover each importer family. */
  private static final List<String> ONNX_SEEDS = List.of("test_add_bcast", "test_relu", "test_conv_with_strides_padding",
      "test_gemm_all_attributes", "test_matmul_3d", "test_reshape_negative_dim", "test_constant_pad", "test_reflect_pad",
      "test_concat_3d_axis_1", "test_slice_neg_steps", "test_gather_1", "test_transpose_all_permutations_2", "test_maxpool_2d_pads",
      "test_averagepool_2d_same_upper", "test_resize_downsample_scales_linear", "test_lstm_defaults", "test_gru_defaults",
      "test_split_equal_parts_1d", "test_expand_dim_changed", "test_constantofshape_float_ones", "test_range_float_type_positive_delta",
      "test_topk", "test_where_example", "test_squeeze", "test_unsqueeze_axis_0", "test_reduce_sum_keepdims_example",
      "test_softmax_axis_1", "test_batchnorm_example", "test_instancenorm_example", "test_layer_normalization_2d_axis0",
      "test_clip_splitbounds", "test_cast_FLOAT_to_DOUBLE", "test_argmax_default_axis_example", "test_cumsum_1d",
      "test_einsum_batch_matmul", "test_tile", "test_scatter_elements_with_axis", "test_convtranspose_1d", "test_depthtospace_dcr_mode",
      "test_nonzero_example", "test_shape", "test_flatten_axis1", "test_sce_mean", "test_pow", "test_where_long_example");

  final String extension;

  Format(String extension) { this.extension = extension; }

  /** The seed inputs; an empty list when the data they come from is not installed. */
  List<byte[]> seeds(Path repo) throws IOException {
    List<byte[]> out = new ArrayList<>();
    switch (this) {
      case ONNX -> {
        Path node = Path.of("/usr/share/libonnx-testdata/data/node");
        for (String s : ONNX_SEEDS) {
          Path m = node.resolve(s).resolve("model.onnx");
          if (Files.isRegularFile(m)) out.add(Files.readAllBytes(m));
        }
        out.add(externalSeed().toByteArray());
      }
      case PT, SAFETENSORS -> {
        try (Stream<Path> s = Files.list(repo.resolve("interop/src/test/resources/fixtures/torch"))) {
          for (Path p : s.sorted().toList()) if (p.toString().endsWith("." + extension)) out.add(Files.readAllBytes(p));
        }
      }
      case NPY -> {
        out.add(Npy.toBytes(HostTensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)));
        out.add(Npy.toBytes(HostTensor.ofLongs(new long[] {1, -2, 3, 4}, 4)));
        out.add(Npy.toBytes(HostTensor.ofBooleans(new boolean[] {true, false, true, true}, 2, 2)));
        out.add(Npy.toBytes(HostTensor.ofDoubles(new double[] {0.5}, 1, 1, 1)));
        out.add(Npy.toBytes(HostTensor.ofBytes(DType.F16, new long[] {3}, new byte[6])));
        try (Stream<Path> s = Files.list(repo.resolve("runtime/tensorflow/src/test/resources/fixtures/optim"))) {
          for (Path p : s.sorted().toList()) if (p.toString().endsWith(".npy")) out.add(Files.readAllBytes(p));
        }
      }
      default -> throw new IllegalStateException();
    }
    return out;
  }

  /** One mutation of {@code seed}: structural half of the time, byte-level otherwise. */
  byte[] mutate(byte[] seed, SplittableRandom r) {
    if (r.nextBoolean()) return ByteMutator.mutate(seed, r);
    try {
      return structural(seed, r);
    } catch (RuntimeException e) {
      // NOTE: a structural mutator that cannot make sense of an already-mutated input falls back to bytes.
      return ByteMutator.mutate(seed, r);
    }
  }

  private byte[] structural(byte[] seed, SplittableRandom r) {
    return switch (this) {
      case ONNX -> {
        try {
          yield OnnxMutator.mutate(ModelProto.parseFrom(seed), r).toByteArray();
        } catch (InvalidProtocolBufferException e) {
          yield ByteMutator.mutate(seed, r);
        }
      }
      case PT -> ArchiveMutator.mutate(seed, r);
      case SAFETENSORS -> HeaderMutator.safetensors(seed, r);
      case NPY -> HeaderMutator.npy(seed, r);
    };
  }

  /** Reads {@code file} as Kiln does; for ONNX, true when a tensor holds the sentinel of a file outside the folder. */
  boolean readOutside(Path file) throws IOException {
    switch (this) {
      case ONNX -> {
        Graph g = OnnxImporter.importFile(file, ImportOptions.defaults());
        for (Parameter p : g.parameters()) if (FuzzFolder.holdsSentinel(p.initial().bytes())) return true;
        return false;
      }
      case PT -> TorchFile.read(file).flatten();
      case SAFETENSORS -> Safetensors.read(file);
      case NPY -> Npy.read(file);
      default -> throw new IllegalStateException();
    }
    return false;
  }

  /** y = x + b with b kept in w.bin beside the model: the seed the external-data mutations start from. */
  private static ModelProto externalSeed() {
    ValueInfoProto x = ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
        .setElemType(1).setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4))))).build();
    TensorProto b = TensorProto.newBuilder().setName("b").setDataType(1).addDims(4).setDataLocation(TensorProto.DataLocation.EXTERNAL)
        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
    GraphProto g = GraphProto.newBuilder().setName("ext").addInput(x).addInitializer(b)
        .addNode(NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("b").addOutput("y"))
        .addOutput(x.toBuilder().setName("y")).build();
    return ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(g).build();
  }
}
