/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code outpost:input/<name>}, {@code outpost:output/<name>} or {@code outpost:method/<name>}. */
final class OutpostEndpoint extends DefaultEndpoint {

    enum Kind {
        INPUT, OUTPUT, METHOD
    }

    private final Kind kind;
    private final String name;
    private final int inFlight;

    OutpostEndpoint(String uri, OutpostComponent component, Kind kind, String name, int inFlight) {
        super(uri, component);
        this.kind = kind;
        this.name = name;
        this.inFlight = inFlight;
    }

    @Override
    public OutpostComponent getComponent() {
        return (OutpostComponent) super.getComponent();
    }

    @Override
    public boolean isRemote() {
        return false;
    }

    @Override
    public Producer createProducer() {
        if (kind != Kind.OUTPUT) {
            throw new IllegalArgumentException(getEndpointUri() + " is a " + kind.name().toLowerCase()
                    + ": routes start from it (from:), they send to outpost:output/<name>");
        }
        return new OutputProducer(this, getComponent().client(), name);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = switch (kind) {
            case INPUT -> new InputConsumer(this, processor, name, inFlight);
            case METHOD -> new MethodConsumer(this, processor, name);
            case OUTPUT -> throw new IllegalArgumentException(getEndpointUri() + " is an output: routes send to it"
                    + " (to:), they start from outpost:input/<name> or outpost:method/<name>");
        };
        configureConsumer(consumer);
        return consumer;
    }
}
