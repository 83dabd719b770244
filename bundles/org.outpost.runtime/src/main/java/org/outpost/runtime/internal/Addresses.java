/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

/**
 * Broker queue names of the gateway (see docs/architecture.md). Everything modules send enters one durable ingress
 * queue, from which the router copies each message to the queue of every endpoint a route names.
 */
final class Addresses {

    /** Every message a module sends, in the order it was stored. */
    static final String INGRESS = "outpost.routing.ingress";

    private Addresses() {
    }

    /** @return the durable queue that holds the messages routed to a module's input */
    static String input(String module, String input) {
        return "outpost.modules." + module + ".inputs." + input;
    }
}
