/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.opcua.simulator;

import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** The simulator's tags: each a pure function of the tick count and the seconds since start, so tests can predict them. */
public enum SimulatedTag {
    /** Degrees Celsius: 20 + 5 sin(2 pi t / 60 s), a sine wave with a one-minute period. */
    TEMPERATURE("Temperature") {
        @Override
        Object valueAt(long tick, double seconds) {
            return round(20.0 + 5.0 * Math.sin(2 * Math.PI * seconds / 60.0));
        }
    },
    /** Hectopascal: 1013 + 8 sin(2 pi t / 45 s) + 2 cos(2 pi t / 7 s). */
    PRESSURE("Pressure") {
        @Override
        Object valueAt(long tick, double seconds) {
            return round(1013.0 + 8.0 * Math.sin(2 * Math.PI * seconds / 45.0)
                    + 2.0 * Math.cos(2 * Math.PI * seconds / 7.0));
        }
    },
    /** The number of updates so far (Int64), one more on every tick. */
    COUNTER("Counter") {
        @Override
        Object valueAt(long tick, double seconds) {
            return tick;
        }

        @Override
        NodeId dataType() {
            return NodeIds.Int64;
        }
    };

    private final String tagName;

    SimulatedTag(String tagName) {
        this.tagName = tagName;
    }

    /** The tag's browse name and string node id ({@code ns=2;s=<tagName>}). */
    public String tagName() {
        return tagName;
    }

    abstract Object valueAt(long tick, double seconds);

    NodeId dataType() {
        return NodeIds.Double;
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
