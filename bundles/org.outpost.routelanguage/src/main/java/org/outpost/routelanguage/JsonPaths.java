/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paths of {@code $body.<path>} and {@code twin_change_includes(<path>)}. edgeHub checks them with a small
 * grammar, {@code name ('[' digits ']')? ('.' name ('[' digits ']')?)*}, that needs only a prefix of the path to match
 * (so {@code a[0][1]} passes), then hands the whole path to Newtonsoft's SelectTokens.
 */
final class JsonPaths {

    /** A {@code [*]} step. */
    static final Object ALL_ELEMENTS = new Object();
    /** A {@code *} step. */
    static final Object ALL_FIELDS = new Object();

    private static final String NOT_NAME = "()<>@,;:\\\"/[].?={}\t\n\r";
    private static final List<String> TWIN_PREFIXES = List.of("properties.reported.", "properties.desired.", "tags.");

    private JsonPaths() {
    }

    /** @return why edgeHub refuses the path, or null when it takes it */
    static String problem(String path) {
        if (path.isEmpty()) {
            return "the path is empty";
        }
        int[] at = {0};
        List<Object> steps = new ArrayList<>();
        String p = prefix(path, at, steps);
        return p;
    }

    /** @return why edgeHub refuses the path of twin_change_includes, or null when it takes it */
    static String twinProblem(String path) {
        if (path.isEmpty()) {
            return "the path is empty";
        }
        String p = problem(path);
        if (p != null) {
            return p;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        return TWIN_PREFIXES.stream().anyMatch(lower::startsWith) ? null
                : "'" + path + "' is not supported: it must start with properties.reported., properties.desired. or"
                        + " tags.";
    }

    /** @return the steps (String field, Integer index, or a wildcard), or null where Newtonsoft would throw */
    static List<Object> steps(String path) {
        int[] at = {0};
        List<Object> steps = new ArrayList<>();
        if (prefix(path, at, steps) != null) {
            return null;
        }
        int i = at[0];
        while (i < path.length()) {
            if (path.charAt(i) != '[') {
                return null;
            }
            int close = path.indexOf(']', i);
            if (close < 0) {
                return null;
            }
            String inside = path.substring(i + 1, close);
            if (inside.equals("*")) {
                steps.add(ALL_ELEMENTS);
            } else if (inside.matches("[0-9]{1,9}")) {
                steps.add(Integer.parseInt(inside));
            } else {
                return null;
            }
            i = close + 1;
        }
        if (!steps.isEmpty() && "$".equals(steps.get(0))) {
            steps.remove(0);
        }
        return steps;
    }

    /** Matches the grammar's prefix from {@code at[0]}, adding steps; @return the problem, or null */
    private static String prefix(String path, int[] at, List<Object> steps) {
        while (true) {
            int start = at[0];
            int i = start;
            while (i < path.length() && NOT_NAME.indexOf(path.charAt(i)) < 0) {
                i++;
            }
            String name = path.substring(start, i);
            if (name.isEmpty() || name.chars().allMatch(Character::isDigit) && name.chars().allMatch(c -> c < 128)) {
                return "a field name is expected at position " + (start + 1) + " of '" + path + "'";
            }
            steps.add(name.equals("*") ? ALL_FIELDS : name);
            if (i < path.length() && path.charAt(i) == '[') {
                int j = i + 1;
                while (j < path.length() && path.charAt(j) >= '0' && path.charAt(j) <= '9') {
                    j++;
                }
                if (j == i + 1 || j >= path.length() || path.charAt(j) != ']') {
                    return "an index such as [0] is expected at position " + (i + 1) + " of '" + path + "'";
                }
                String digits = path.substring(i + 1, j).replaceFirst("^0+(?=.)", "");
                steps.add(digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits));
                i = j + 1;
            }
            at[0] = i;
            if (i < path.length() && path.charAt(i) == '.') {
                at[0] = i + 1;
                continue;
            }
            return null;
        }
    }
}
