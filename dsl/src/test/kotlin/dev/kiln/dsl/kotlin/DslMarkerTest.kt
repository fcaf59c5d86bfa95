package dev.kiln.dsl.kotlin

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.nio.file.Files
import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler

/**
 * Compiles the snippets in `src/test/resources/must-not-compile` and `must-compile` with the Kotlin compiler
 * against the test classpath: @KilnDsl must reject reaching an outer scope implicitly, and accept it explicitly.
 */
class DslMarkerTest : FunSpec({
  /** The classpath of this test run; surefire hides it behind a manifest jar and passes it in this property. */
  val classpath = (System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path"))
    .split(File.pathSeparator).filter { it.isNotBlank() && File(it).exists() }

  fun compile(resource: String): Pair<ExitCode, String> {
    val source = File(DslMarkerTest::class.java.getResource(resource)!!.toURI())
    val outDir = Files.createTempDirectory("kiln-kotlinc").toFile()
    val log = ByteArrayOutputStream()
    try {
      val code = K2JVMCompiler().exec(
        PrintStream(log, true, Charsets.UTF_8),
        "-no-stdlib", "-no-reflect", "-jvm-target", "17", "-Xjspecify-annotations=strict",
        "-classpath", classpath.joinToString(File.pathSeparator),
        "-d", outDir.path, source.path,
      )
      return code to log.toString(Charsets.UTF_8)
    } finally {
      outDir.deleteRecursively()
    }
  }

  test("the positive control compiles: an explicit this@model is allowed") {
    val (code, log) = compile("/must-compile/ExplicitOuterScope.kt")
    withClue(log) { code shouldBe ExitCode.OK }
  }

  test("reaching the model scope implicitly from inside sequential is a DSL-marker error") {
    val (code, log) = compile("/must-not-compile/OuterScope.kt")
    code shouldBe ExitCode.COMPILATION_ERROR
    withClue(log) { Regex("error:").findAll(log).count() shouldBe 1 }
    log shouldContain "OuterScope.kt:17"
    log shouldContain "cannot be called in this context with an implicit receiver"
  }
})
