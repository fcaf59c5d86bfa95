package dev.kiln.interop.torch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How {@link Weights#load} matches a state dict to a model. A state-dict key is first mapped to a
 * Kiln parameter name: each {@link #rename} rule in order (regex with {@code $1} groups), then the
 * {@link #mapping} function if any; a key that maps to null, or matches an {@link #ignore} pattern,
 * is skipped. Strict mode (the default) refuses any missing, unexpected or mis-shaped key.
 * Immutable: each method returns a changed copy.
 */
public final class LoadOptions {
  private record Rule(Pattern pattern, String replacement) {}

  private final boolean strict;
  private final List<Rule> rules;
  private final List<Pattern> ignored;
  private final @Nullable Function<String, @Nullable String> mapping;
  private final boolean convertLayouts;

  private LoadOptions(boolean strict, List<Rule> rules, List<Pattern> ignored, @Nullable Function<String, @Nullable String> mapping, boolean convertLayouts) {
    this.strict = strict;
    this.rules = List.copyOf(rules);
    this.ignored = List.copyOf(ignored);
    this.mapping = mapping;
    this.convertLayouts = convertLayouts;
  }

  /** Strict, names unchanged, PyTorch layouts converted. */
  public static LoadOptions defaults() { return new LoadOptions(true, List.of(), List.of(), null, true); }

  /** Strict mode throws on any mismatch; non-strict loads what matches and reports the rest. */
  public LoadOptions strict(boolean s) { return new LoadOptions(s, rules, ignored, mapping, convertLayouts); }

  /** Adds a rename rule applied to each state-dict key: {@code key.replaceAll(regex, replacement)}. */
  public LoadOptions rename(String regex, String replacement) {
    List<Rule> r = new ArrayList<>(rules);
    r.add(new Rule(Pattern.compile(regex), Objects.requireNonNull(replacement)));
    return new LoadOptions(strict, r, ignored, mapping, convertLayouts);
  }

  /** Sets a function applied after the rename rules; returning null skips the key. */
  public LoadOptions mapping(Function<String, @Nullable String> f) { return new LoadOptions(strict, rules, ignored, f, convertLayouts); }

  /** State-dict keys matching {@code regex} (whole key) are skipped, e.g. {@code .*num_batches_tracked}. */
  public LoadOptions ignore(String regex) {
    List<Pattern> i = new ArrayList<>(ignored);
    i.add(Pattern.compile(regex));
    return new LoadOptions(strict, rules, i, mapping, convertLayouts);
  }

  /** Whether PyTorch layouts are converted to Kiln's (linear weights transposed); on by default. */
  public LoadOptions convertLayouts(boolean c) { return new LoadOptions(strict, rules, ignored, mapping, c); }

  public boolean strict() { return strict; }

  public boolean convertLayouts() { return convertLayouts; }

  /** The Kiln parameter name for state-dict key {@code key}, or null to skip it. */
  public @Nullable String map(String key) {
    for (Pattern p : ignored) if (p.matcher(key).matches()) return null;
    String name = key;
    for (Rule r : rules) name = r.pattern().matcher(name).replaceAll(r.replacement());
    return mapping == null ? name : mapping.apply(name);
  }
}
