/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.Locale;
import java.util.Optional;

/**
 * A compiled route: {@code FROM source [WHERE condition] INTO sink}.
 *
 * @param name the route's name
 * @param text the route as written
 * @param source the source path as written (e.g. {@code /messages/modules/sensor/*})
 * @param condition the condition, if the route has one
 * @param sink where taken messages go
 */
public record CompiledRoute(String name, String text, String source, Optional<Condition> condition, Sink sink) {

    /** Why a route was or was not taken. */
    public enum Outcome {
        TAKEN, SOURCE_MISMATCH, CONDITION_FALSE, CONDITION_UNDEFINED
    }

    /**
     * @param outcome the outcome
     * @param detail for {@link Outcome#CONDITION_UNDEFINED}: the operand that had no value, else null
     */
    public record Decision(Outcome outcome, String detail) {
        /** @return true if the route takes the message */
        public boolean taken() {
            return outcome == Outcome.TAKEN;
        }
    }

    /**
     * @param messageSource a message's source, e.g. {@code /messages/modules/sensor/outputs/temperature}
     * @return true if this route's source covers it: a case-insensitive prefix by whole path segments
     */
    public boolean matchesSource(String messageSource) {
        String prefix = source.endsWith("*") ? source.substring(0, source.length() - 1) : source;
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        return (messageSource + "/").toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT));
    }

    /** @return whether this route takes the message, and why not */
    public Decision decide(RouteMessage message) {
        if (!matchesSource(message.source())) {
            return new Decision(Outcome.SOURCE_MISMATCH, null);
        }
        if (condition.isEmpty()) {
            return new Decision(Outcome.TAKEN, null);
        }
        Condition.Evaluation e = condition.get().explain(message);
        return switch (e.result()) {
            case TRUE -> new Decision(Outcome.TAKEN, null);
            case FALSE -> new Decision(Outcome.CONDITION_FALSE, null);
            case UNDEFINED -> new Decision(Outcome.CONDITION_UNDEFINED, e.undefinedOperand());
        };
    }
}
