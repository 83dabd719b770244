/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.module;

import java.util.regex.Pattern;

/** The rules for module ids and input/output names, shared by every part of Outpost that accepts them. */
public final class ModuleNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private ModuleNames() {
    }

    /** @return true if {@code name} is a valid module id, input or output name */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * @param what what the name is, for the message ("module id", "output name")
     * @param name the name to check
     * @return {@code name}
     * @throws IllegalArgumentException saying what is wrong, if the name is not valid
     */
    public static String require(String what, String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' is not valid: use 1 to 64 letters, digits, '-' or '_'");
        }
        return name;
    }
}
