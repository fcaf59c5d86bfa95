package dev.kiln.dsl.kotlin

/**
 * Marks Kiln's DSL scopes. Inside a nested scope (for example [SequentialScope]) the members of an outer
 * scope cannot be reached through the implicit receiver: an `input(...)` written inside `sequential { }`
 * does not compile. Name the outer scope explicitly (`this@model.input(...)`) when that is what you mean.
 */
@DslMarker
annotation class KilnDsl
