/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

/**
 * Broker queue names of the gateway (see docs/architecture.md): the router stores each message a module sends in the
 * queue of every endpoint its routes name.
 */
final class Addresses {

    private Addresses() {
    }

    /** @return the durable queue that holds the messages routed to a module's input */
    static String input(String module, String input) {
        return "outpost.modules." + module + ".inputs." + input;
    }
}
