/** The typed Java DSL; everything is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.kiln.dsl;

import org.jspecify.annotations.NullMarked;
