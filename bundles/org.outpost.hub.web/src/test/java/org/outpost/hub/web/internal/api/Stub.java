/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** A service interface answering only the methods a test gives, by name; any other call fails the test. */
final class Stub<T> {

    private final Class<T> type;
    private final Map<String, Function<Object[], Object>> answers = new HashMap<>();
    private Map<String, Integer> calls = new HashMap<>();

    private Stub(Class<T> type) {
        this.type = type;
    }

    static <T> Stub<T> of(Class<T> type) {
        return new Stub<>(type);
    }

    Stub<T> on(String method, Function<Object[], Object> answer) {
        answers.put(method, answer);
        return this;
    }

    /** Counts the calls into {@code counts}, by {@code Type.method}. */
    Stub<T> countingInto(Map<String, Integer> counts) {
        this.calls = counts;
        return this;
    }

    T build() {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            calls.merge(type.getSimpleName() + "." + m.getName(), 1, Integer::sum);
            Function<Object[], Object> a = answers.get(m.getName());
            if (a == null) {
                throw new AssertionError("unexpected call: " + m.getName());
            }
            return a.apply(args == null ? new Object[0] : args);
        }));
    }
}
