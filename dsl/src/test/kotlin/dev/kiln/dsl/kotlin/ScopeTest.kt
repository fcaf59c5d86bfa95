package dev.kiln.dsl.kotlin

import dev.kiln.dsl.Conv
import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.Model
import dev.kiln.dsl.Padding
import dev.kiln.dsl.init.Initializers
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe

/** The scoped builders: model, block, output, sequential, and what each delegates to. */
class ScopeTest : FunSpec({
  fun Model.paramNames() = graph().parameters().map { it.name() }
  fun Model.outputNames() = graph().outputs().map { it.name() }

  test("the lambda's last tensor becomes the output called output") {
    val m = model("m") { input("x", F32, 2, 3).relu() }
    m.outputNames() shouldContainExactly listOf("output")
    m.toText() shouldBe Model.build("m") { b -> b.input("x", F32, 2, 3).relu() }.toText()
  }

  test("output(name, t) names the outputs; the last expression is then not an extra output") {
    val m = model("m") {
      val x = input("x", F32, 2, 3)
      output("a", x.relu())
      output("b", x.sigmoid())
    }
    m.outputNames() shouldContainExactly listOf("a", "b")
  }

  test("a body ending in Unit after output() is fine") {
    val m = model("m") {
      output("y", input("x", F32, 4).tanh())
      Unit
    }
    m.outputNames() shouldContainExactly listOf("y")
  }

  test("block prefixes parameter names, nested blocks nest the prefix") {
    val m = model("m") {
      val x = input("x", F32, "batch", 8)
      block("enc") {
        val h = x.linear("fc", 4)
        block("head") { h.linear("out", 2, bias = false) }
      }
    }
    m.paramNames() shouldContainExactly listOf("enc.fc.weight", "enc.fc.bias", "enc.head.out.weight")
  }

  test("block returns its body's value, as ModelBuilder.block does") {
    var inside = 0
    model("m") {
      inside = block("b") { 41 } + 1
      input("x", F32, 1)
    }
    inside shouldBe 42
  }

  test("seed reaches the builder") {
    var seen = 0L
    model("m", seed = 9) { seen = seed; input("x", F32, 1) }
    seen shouldBe 9L
  }

  test("sequential applies the layers in order, like the chained Java calls") {
    val kt = model("m") {
      val x = input("x", F32, "batch", 3, 16, 16)
      sequential(x) {
        +conv2d("c1", out = 4, kernel = 3, padding = SAME)
        +relu()
        +avgPool2d(2)
        +layer { it * 2.0 }
        +flatten()
        +linear("fc", 5)
        +softmax()
      }
    }
    val java = Model.build("m") { m ->
      m.input("x", F32, "batch", 3, 16, 16)
        .conv2d("c1", Conv.out(4).kernel(3).padding(Padding.SAME)).relu().avgPool2d(2).mul(2.0)
        .flatten().linear("fc", 5).softmax()
    }
    kt.toText() shouldBe java.toText()
  }

  test("sequential with a name is a block") {
    val m = model("m") {
      val x = input("x", F32, "batch", 6)
      sequential(x, name = "mlp") {
        +linear("fc1", 4)
        +leakyRelu(0.2)
        +linear("fc2", 2)
      }
    }
    m.paramNames() shouldContainExactly listOf("mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias")
  }

  test("an explicit outer receiver reaches the model scope from inside sequential") {
    val m = model("m") {
      val x = input("x", F32, 2, 2)
      sequential(x) { +layer { it + this@model.input("y", F32, 2, 2) } }
    }
    m.graph().inputs().map { it.name() } shouldContainExactly listOf("x", "y")
  }

  test("the Kotlin linear defaults are the Java ones: Glorot-uniform weight and zero bias") {
    val java = Model.build("m") { b -> b.input("x", F32, 2, 3).linear("fc", 4) }
    val plain = model("m") { input("x", F32, 2, 3).linear("fc", 4) }
    val withInit = model("m") { input("x", F32, 2, 3).linear("fc", 4, weightInit = Initializers.glorotUniform()) }
    for (k in listOf(plain, withInit)) {
      k.toText() shouldBe java.toText()
      k.graph().parameters().map { it.initial() } shouldBe java.graph().parameters().map { it.initial() }
    }
  }

  test("conv2d named arguments map onto Conv options; unset ones keep Java's defaults") {
    val kt = model("m") {
      val x = input("x", F32, 1, 4, 9, 9)
      output("a", x.conv2d("a", out = 8, kernel = 3))
      output("b", x.conv2d("b", out = 8, kernel = 3, stride = 2, padding = SAME, dilation = 1, groups = 4, bias = false))
      output("c", x.conv2d("c", out = 2, kernel = 3 to 1, stride = 1 to 2, padding = pad(1, 0)))
      output("d", x.maxPool2d(3, stride = 2, ceil = true))
    }
    val java = Model.build("m") { b ->
      val x = b.input("x", F32, 1, 4, 9, 9)
      b.output("a", x.conv2d("a", Conv.out(8).kernel(3)))
      b.output("b", x.conv2d("b", Conv.out(8).kernel(3).stride(2).padding(Padding.SAME).groups(4).bias(false)))
      b.output("c", x.conv2d("c", Conv.out(2).kernel(3, 1).stride(1, 2).padding(Padding.explicit(1, 0))))
      b.output("d", x.maxPool2d(dev.kiln.dsl.Pool.kernel(3).stride(2).ceil(true)))
      null
    }
    kt.toText() shouldBe java.toText()
  }

  test("conv1d and conv3d extensions") {
    val m = model("m") {
      output("one", input("s", F32, 1, 2, 10).conv1d("c1", out = 3, kernel = 3, padding = SAME))
      output("three", input("v", F32, 1, 2, 4, 4, 4).conv3d("c3", out = 3, kernel = 2))
    }
    m.graph().outputs().map { it.type().shape().toString() } shouldContainExactly listOf("[1, 3, 10]", "[1, 3, 3, 3, 3]")
  }
})
