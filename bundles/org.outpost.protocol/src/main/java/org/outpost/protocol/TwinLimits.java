/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

/**
 * What a twin section (desired or reported properties) may hold, as IoT Hub limits it: its JSON at most
 * {@code maxSectionBytes}, objects and arrays nested at most {@code maxDepth} deep (the section itself is the first
 * level; an array is a level as an object is), string values at most {@code maxValueBytes}, keys at most
 * {@code maxKeyBytes} and without {@code .}, {@code $}, spaces or control characters (keys that start with {@code $}
 * are the twin's own, such as {@code $version}). The rules hold inside arrays as everywhere else.
 *
 * @param maxSectionBytes bytes of a section's JSON
 * @param maxDepth levels of nested objects and arrays
 * @param maxValueBytes bytes of a string value
 * @param maxKeyBytes bytes of a key
 */
public record TwinLimits(int maxSectionBytes, int maxDepth, int maxValueBytes, int maxKeyBytes) {

    /** IoT Hub's limits: 32 KB per section, depth 10, 4 KB per value, 1 KB per key. */
    public static final TwinLimits IOT_HUB = new TwinLimits(32 * 1024, 10, 4 * 1024, 1024);

    /**
     * @return limits given as operators write them (KB for sizes)
     * @throws IllegalArgumentException if one is not positive
     */
    public static TwinLimits of(int maxSectionKb, int maxDepth, int maxValueKb, int maxKeyBytes) {
        return new TwinLimits(maxSectionKb * 1024, maxDepth, maxValueKb * 1024, maxKeyBytes);
    }

    public TwinLimits {
        if (maxSectionBytes < 2 || maxDepth < 1 || maxValueBytes < 1 || maxKeyBytes < 1) {
            throw new IllegalArgumentException("twin limits must be positive: " + maxSectionBytes + " bytes, depth "
                    + maxDepth + ", value " + maxValueBytes + ", key " + maxKeyBytes);
        }
    }
}
