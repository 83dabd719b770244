/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

/** A number in a query parameter, in its range or refused with 400 and the parameter's name. */
final class QueryNumbers {

    private QueryNumbers() {
    }

    static int number(String s, String name, int absent, int min, int max) {
        if (s == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new ApiException(400, name + " is a number from " + min + " to " + max + ", not '" + s + "'", name);
    }
}
