/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.commons;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class ListenersTest {

    @Test
    void listenersAreToldInOrderUntilTheirSubscriptionIsClosed() {
        Listeners<Consumer<String>> listeners = new Listeners<>("test events");
        List<String> heard = new ArrayList<>();
        Listeners.Subscription first = listeners.subscribe(e -> heard.add("first " + e));
        listeners.subscribe(e -> heard.add("second " + e));

        listeners.fire(l -> l.accept("a"));
        first.close();
        first.close();
        listeners.fire(l -> l.accept("b"));

        assertThat(heard).containsExactly("first a", "second a", "second b");
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromBeingTold() {
        Listeners<Consumer<String>> listeners = new Listeners<>("test events");
        List<String> heard = new ArrayList<>();
        listeners.subscribe(e -> {
            throw new IllegalStateException("broken listener");
        });
        listeners.subscribe(heard::add);

        listeners.fire(l -> l.accept("a"));

        assertThat(heard).containsExactly("a");
    }

    @Test
    void theSameListenerSubscribedTwiceHasTwoSubscriptions() {
        Listeners<Consumer<String>> listeners = new Listeners<>("test events");
        List<String> heard = new ArrayList<>();
        Consumer<String> listener = heard::add;
        Listeners.Subscription one = listeners.subscribe(listener);
        listeners.subscribe(listener);

        one.close();
        listeners.fire(l -> l.accept("a"));

        assertThat(heard).containsExactly("a");
        assertThat(listeners.isEmpty()).isFalse();
    }
}
