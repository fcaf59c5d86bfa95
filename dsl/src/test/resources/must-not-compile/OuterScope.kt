// MUST NOT COMPILE: DslMarkerTest compiles this file and expects the DSL-marker error below.
//
// Inside `sequential { }` the receiver is a SequentialScope; the ModelScope of `model { }` is an outer
// receiver of the same @KilnDsl marker, so its members cannot be called implicitly. Calling `input(...)`
// here would silently add a model input from inside a layer stack; Kotlin rejects it with
// "'input' cannot be called in this context with an implicit receiver". Write `this@model.input(...)` if you mean it.
package snippets

import dev.kiln.dsl.DTypes.F32
import dev.kiln.dsl.kotlin.model
import dev.kiln.dsl.kotlin.plus

val broken = model("outer") {
  val x = input("x", F32, 2, 2)
  sequential(x) {
    +relu()
    +layer { it + input("y", F32, 2, 2) }
  }
}
