/** Parameter initialisers; everything is non-null unless marked {@code @Nullable}. */
@NullMarked
package dev.kiln.dsl.init;

import org.jspecify.annotations.NullMarked;
