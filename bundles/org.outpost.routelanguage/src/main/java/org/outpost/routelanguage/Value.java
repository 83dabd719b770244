/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/** The run-time markers for {@code null} and {@code undefined} (see {@link Type} for every type's values). */
enum Value {
    NULL, UNDEFINED
}
