package dev.kiln.spec;

/** Facts about this build of Kiln. */
public final class Kiln {
  /** The version written into exported models' provenance. */
  public static final String VERSION = "0.1.0";

  private Kiln() {}
}
