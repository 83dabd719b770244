/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routelanguage;

/**
 * Where a route delivers: {@code $upstream} (module and input null) or a module input.
 *
 * @param module the module of {@code BrokeredEndpoint("/modules/<module>/inputs/<input>")}, or null
 * @param input its input, or null
 */
public record Sink(String module, String input) {

    /** The cloud. */
    public static final Sink UPSTREAM = new Sink(null, null);

    /** @return true for {@code $upstream} */
    public boolean isUpstream() {
        return module == null;
    }

    /** @return the sink as written in a route */
    @Override
    public String toString() {
        return isUpstream() ? "$upstream" : "BrokeredEndpoint(\"/modules/" + module + "/inputs/" + input + "\")";
    }
}
