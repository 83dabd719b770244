/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.util.Locale;

/**
 * A route file of a route module: its path in the bundle (which errors name) and its text.
 *
 * @param path e.g. {@code routes/opcua-reader.camel.yaml}
 * @param text the file's content
 */
public record RouteFile(String path, String text) {

    /** @return whether the file is XML ({@code .xml}); YAML otherwise ({@code .yaml}, {@code .yml}) */
    public boolean xml() {
        return path.toLowerCase(Locale.ROOT).endsWith(".xml");
    }

    /**
     * @param offset a character offset in the text
     * @return {@code line L, column C} of it, both from 1
     */
    String position(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }
}
