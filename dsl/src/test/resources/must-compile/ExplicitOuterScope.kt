// MUST COMPILE: the positive control for must-not-compile/OuterScope.kt. The same model, with the outer
// scope named explicitly (`this@model`), which the DSL marker allows.
package snippets

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.kotlin.conv2d
import dev.kiln.dsl.kotlin.model
import dev.kiln.dsl.kotlin.plus

val fine = model("outer") {
  val x = input("x", F32, 2, 2)
  sequential(x) {
    +relu()
    +layer { it + this@model.input("y", F32, 2, 2) }
  }
}

val cnn = model("cnn") {
  input("x", F32, 1, 3, 8, 8).conv2d("c", out = 4, kernel = 3)
}
