/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Artemis address wildcards: words separated by {@code .} ({@code \.} inside a word), {@code *} for one word and
 * {@code #} for any number of words, zero included.
 */
final class AddressMatch {

    private AddressMatch() {
    }

    /** @return the words of an address, escapes kept */
    static List<String> words(String address) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '.') {
                out.add(address.substring(start, i));
                start = i + 1;
            }
        }
        out.add(address.substring(start));
        return out;
    }

    /** @return whether a binding's address (possibly with wildcards) takes messages sent to a plain address */
    static boolean matches(List<String> pattern, List<String> address) {
        return matches(pattern, 0, address, 0);
    }

    private static boolean matches(List<String> p, int pi, List<String> a, int ai) {
        if (pi == p.size()) {
            return ai == a.size();
        }
        String w = p.get(pi);
        if (w.equals("#")) {
            for (int k = ai; k <= a.size(); k++) {
                if (matches(p, pi + 1, a, k)) {
                    return true;
                }
            }
            return false;
        }
        return ai < a.size() && (w.equals("*") || w.equals(a.get(ai))) && matches(p, pi + 1, a, ai + 1);
    }
}
