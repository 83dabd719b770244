/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.util.Map;
import java.util.function.Predicate;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.filter.Filter;
import org.apache.activemq.artemis.selector.filter.Filterable;

/** A broker filter from a Java predicate over messages, for deleting messages chosen in code. */
final class MessageFilter implements Filter {

    private final Predicate<Message> predicate;

    MessageFilter(Predicate<Message> predicate) {
        this.predicate = predicate;
    }

    @Override
    public boolean match(Message message) {
        return predicate.test(message);
    }

    @Override
    public boolean match(Map<String, String> map) {
        return false;
    }

    @Override
    public boolean match(Filterable filterable) {
        return false;
    }

    @Override
    public SimpleString getFilterString() {
        return SimpleString.of("outpost-drop-oldest");
    }
}
