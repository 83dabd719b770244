/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.commons.Listeners.Subscription;

class DeviceEventsTest {

    private final EventBus bus = new EventBus();
    private final DeviceEvents events = new DeviceEvents(bus);
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        events.close();
    }

    @Test
    void aDeletionHereIsAnnouncedToTheOtherNodesAndHeardHere() {
        events.onDeleted(id -> heard.add("deleted " + id));
        events.deleted("gw");
        assertThat(bus.published).containsExactly("device-deleted gw");
        assertThat(heard).containsExactly("deleted gw");
    }

    @Test
    void aDisablingHereIsAnnouncedToTheOtherNodesAndHeardHere() {
        events.onDisabled(id -> heard.add("disabled " + id));
        events.disabled("gw");
        assertThat(bus.published).containsExactly("device-disabled gw");
        assertThat(heard).containsExactly("disabled gw");
    }

    @Test
    void anotherNodesDeletionsAndDisablingsAreHeardAndNotAnnouncedAgain() {
        events.onDeleted(id -> heard.add("deleted " + id));
        events.onDisabled(id -> heard.add("disabled " + id));
        bus.fromAnotherNode("device-disabled", "gw-1");
        bus.fromAnotherNode("device-deleted", "gw-2");
        assertThat(heard).containsExactly("disabled gw-1", "deleted gw-2");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void registrationsAreHeardOnlyOnTheNodeThatMadeThem() {
        events.onCreated(id -> heard.add("created " + id));
        events.created("gw");
        assertThat(heard).containsExactly("created gw");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void listenersAreToldInTheOrderTheySubscribedAndAFailingOneDoesNotStopTheRest() {
        events.onDeleted(id -> heard.add("first " + id));
        events.onDeleted(id -> {
            throw new IllegalStateException("broken listener");
        });
        events.onDeleted(id -> heard.add("third " + id));
        events.deleted("gw");
        assertThat(heard).containsExactly("first gw", "third gw");
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
        Subscription s = events.onDeleted(id -> heard.add("deleted " + id));
        events.deleted("gw-1");
        s.close();
        events.deleted("gw-2");
        bus.fromAnotherNode("device-deleted", "gw-3");
        assertThat(heard).containsExactly("deleted gw-1");
    }

    @Test
    void aResyncIsPassedOnUntilTheEventsAreClosed() {
        events.onResync(() -> heard.add("resync"));
        bus.resync();
        assertThat(heard).containsExactly("resync");

        events.close();
        assertThat(bus.listening("device-deleted")).isZero();
        assertThat(bus.listening("device-disabled")).isZero();
        assertThat(bus.listening(null)).isZero();
    }
}
