/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Where a YAML error is, from snakeyaml-engine's {@code MarkedYamlEngineException} (which the YAML DSL's errors
 * extend), read by reflection: snakeyaml-engine is embedded in org.outpost.camel, which exports Camel's packages only.
 *
 * @param line from 1
 * @param column from 1
 * @param problem what is wrong (with its context, e.g. {@code while parsing a block mapping})
 */
record YamlMark(int line, int column, String problem) {

    private static final String MARKED = "org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException";

    /** @return the mark of {@code t}, or null if it is not a marked YAML error */
    static YamlMark of(Throwable t) {
        if (!isMarked(t.getClass())) {
            return null;
        }
        try {
            Object problemMark = optional(invoke(t, "getProblemMark"));
            Object contextMark = optional(invoke(t, "getContextMark"));
            Object mark = problemMark != null ? problemMark : contextMark;
            if (mark == null) {
                return null;
            }
            int line = (Integer) invoke(mark, "getLine");
            int column = (Integer) invoke(mark, "getColumn");
            String problem = (String) invoke(t, "getProblem");
            String context = (String) invoke(t, "getContext");
            String what = problem != null ? problem : context;
            if (problem != null && context != null && !problem.contains(context)) {
                what = problem + " (" + context + ")";
            }
            return new YamlMark(line + 1, column + 1, what == null ? String.valueOf(t.getMessage()) : what);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    private static boolean isMarked(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (MARKED.equals(k.getName())) {
                return true;
            }
        }
        return false;
    }

    private static Object invoke(Object target, String method) throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(method);
        return m.invoke(target);
    }

    private static Object optional(Object o) {
        return o instanceof Optional<?> opt ? opt.orElse(null) : o;
    }
}
