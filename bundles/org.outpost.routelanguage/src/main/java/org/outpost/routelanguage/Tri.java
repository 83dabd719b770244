/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/** The three-valued result of a condition: a route is taken only when its condition is {@link #TRUE}. */
public enum Tri {
    TRUE, FALSE, UNDEFINED;

    /** @return the lower-case name, as the route tester prints it */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
