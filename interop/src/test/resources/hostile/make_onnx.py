#!/usr/bin/python3
"""Writes the malformed ONNX models under onnx/ (regression inputs of issue 19, item 5).

Each names a required input with the empty name ("left out") or lists too few inputs; Kiln's importers once
met these as a null and failed with NullPointerException. Run with Debian's /usr/bin/python3 (python3-onnx)
from this folder. The models are deliberately invalid, so onnx.checker is not run.
"""
import onnx
from onnx import TensorProto, helper


def save(name, nodes, inputs, outputs, opset=13, inits=()):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="kiln-hostile")
    with open("onnx/" + name + ".onnx", "wb") as f:
        f.write(m.SerializeToString())


x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
save("pad-without-pads", [helper.make_node("Pad", ["x"], ["y"])], [x], [y])
save("pad-empty-pads", [helper.make_node("Pad", ["x", ""], ["y"])], [x], [y])
save("conv-empty-weight", [helper.make_node("Conv", ["x", ""], ["y"])], [x], [y])
save("matmul-one-input", [helper.make_node("MatMul", ["x"], ["y"])], [x], [y])
save("maxpool-empty-input", [helper.make_node("MaxPool", [""], ["y"], kernel_shape=[2, 2])], [x], [y])
save("add-empty-second", [helper.make_node("Add", ["x", ""], ["y"])], [x], [y])
save("gemm-empty-b", [helper.make_node("Gemm", ["x", ""], ["y"])], [x], [y])
save("relu-two-inputs", [helper.make_node("Relu", ["x", "x"], ["y"])], [x], [y])
save("concat-empty-input", [helper.make_node("Concat", ["x", ""], ["y"], axis=1)], [x], [y])
save("batchnorm-missing-mean", [helper.make_node("BatchNormalization", ["x", "x", "x"], ["y"])], [x], [y])
