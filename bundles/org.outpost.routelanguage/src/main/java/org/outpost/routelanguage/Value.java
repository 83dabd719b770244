/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/**
 * Run-time values: {@link Boolean}, {@link Double}, {@link String}, and the two markers below. Comparisons and
 * arithmetic with anything but the right type give {@link #UNDEFINED}.
 */
enum Value {
    NULL, UNDEFINED;

    static Tri tri(Object v) {
        if (v instanceof Boolean b) {
            return b ? Tri.TRUE : Tri.FALSE;
        }
        return Tri.UNDEFINED;
    }
}
