package dev.kiln.runtime.train;

import dev.kiln.spec.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link Backend}s and the {@link OnnxRunner} on the class path ({@link ServiceLoader} providers). */
public final class Backends {
  /** System property naming the back end when several are on the class path: {@code -Dkiln.backend=tensorflow}. */
  public static final String PROPERTY = "kiln.backend";

  private Backends() {}

  /** Every back end on the class path, in the order the service loader finds them. */
  public static List<Backend> available() {
    List<Backend> out = new ArrayList<>();
    ServiceLoader.load(Backend.class, Backend.class.getClassLoader()).forEach(out::add);
    return out;
  }

  /**
   * The back end named by {@value #PROPERTY}, else the one on the class path with the highest {@link Backend#priority()}.
   *
   * @throws KilnException when none is found, the named one is missing, or several share the highest priority and none is named
   */
  public static Backend find() {
    List<Backend> all = available();
    List<String> names = all.stream().map(Backend::name).toList();
    String wanted = System.getProperty(PROPERTY);
    if (wanted != null && !wanted.isBlank()) {
      if (wanted.equals(AutoBackend.NAME)) return AutoBackend.onClassPath();
      return all.stream().filter(b -> b.name().equals(wanted)).findFirst().orElseThrow(() -> new KilnException(
          "-D" + PROPERTY + "=" + wanted + " names no back end on the class path; found " + names));
    }
    if (all.isEmpty()) {
      throw new KilnException("no training back end on the class path: add a back end module (e.g. dev.kiln:kiln-tensorflow) "
          + "or pass one to TrainerBuilder.backend(...)");
    }
    int top = all.stream().mapToInt(Backend::priority).max().orElseThrow();
    List<Backend> best = all.stream().filter(b -> b.priority() == top).toList();
    if (best.size() > 1) {
      throw new KilnException("several training back ends on the class path " + names + ": choose one with -D" + PROPERTY
          + "=<name> or TrainerBuilder.backend(...)");
    }
    return best.get(0);
  }

  /**
   * The back end called {@code name} ({@code tensorflow}, {@code onnxruntime}, or {@code auto}: the faster of those
   * on the class path for this model, measured on its first batch, {@link AutoBackend}).
   *
   * @throws KilnException naming the back ends found when none has that name
   */
  public static Backend named(String name) {
    if (name.equals(AutoBackend.NAME)) return AutoBackend.onClassPath();
    List<Backend> all = available();
    return all.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow(() -> new KilnException(
        "no training back end named '" + name + "' on the class path; found " + all.stream().map(Backend::name).toList()));
  }

  /**
   * The ONNX runner on the class path.
   *
   * @throws KilnException when there is none
   */
  public static OnnxRunner onnxRunner() {
    for (OnnxRunner r : ServiceLoader.load(OnnxRunner.class, OnnxRunner.class.getClassLoader())) return r;
    throw new KilnException("no ONNX runner on the class path: add dev.kiln:kiln-onnxruntime to run exported models");
  }
}
