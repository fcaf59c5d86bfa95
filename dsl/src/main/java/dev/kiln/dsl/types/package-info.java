/** Phantom dtype types; everything is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.kiln.dsl.types;

import org.jspecify.annotations.NullMarked;
