/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;

class TwinNotifierTest {

    private final EventBus bus = new EventBus();
    /** The twins as they are now, by "device/module" ("device/" for the device's own). */
    private final Map<String, TwinDocument> stored = new ConcurrentHashMap<>();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private TwinNotifier notifier;

    @BeforeEach
    void open() {
        notifier = new TwinNotifier(bus, (device, module) -> {
            TwinDocument t = stored.get(device + "/" + (module == null ? "" : module));
            if (t == null) {
                throw new IllegalArgumentException("no device '" + device + "' is registered");
            }
            return t;
        });
        notifier.onDesired((device, module, patch, twin) -> heard.add(device + "/" + module + " " + patch + " v"
                + twin.desiredVersion()));
    }

    @AfterEach
    void close() {
        notifier.close();
    }

    private static TwinDocument desired(String json) {
        return TwinDocument.empty().patchDesired(json, TwinLimits.IOT_HUB);
    }

    @Test
    void aPatchHereIsToldWithItsVersionAndAnnouncedWithIt() {
        notifier.desiredPatched("gw", "pump", "{\"speed\": 3}", desired("{\"speed\": 3}"));
        assertThat(heard).containsExactly("gw/pump {\"speed\":3,\"$version\":2} v2");
        assertThat(bus.published).containsExactly(
                "desired {\"device\":\"gw\",\"module\":\"pump\",\"patch\":\"{\\\"speed\\\":3,\\\"$version\\\":2}\"}");
    }

    @Test
    void aReplaceHereIsToldAsTheWholePropertiesAndAnnouncedWithoutThem() {
        notifier.desiredReplaced("gw", null, desired("{\"a\": 1}"));
        assertThat(heard).containsExactly("gw/null {\"a\":1,\"$version\":2} v2");
        assertThat(bus.published).containsExactly("desired {\"device\":\"gw\",\"module\":null}");
    }

    @Test
    void aPatchTooLargeForAnEventIsAnnouncedWithoutIt() {
        String big = "{\"blob\": \"" + "x".repeat(3000) + "\"}";
        notifier.desiredPatched("gw", "m", big, desired(big));
        assertThat(bus.published).containsExactly("desired {\"device\":\"gw\",\"module\":\"m\"}");
        assertThat(heard).singleElement().asString().contains("xxx");
    }

    @Test
    void aChangeThatCannotBeAnnouncedIsStillToldHere() {
        bus.publishFails = true;
        notifier.desiredPatched("gw", "m", "{\"a\": 1}", desired("{\"a\": 1}"));
        assertThat(heard).containsExactly("gw/m {\"a\":1,\"$version\":2} v2");
    }

    @Test
    void anotherNodesPatchIsToldWithTheTwinAsItIsNow() {
        stored.put("gw/pump", desired("{\"speed\": 3}").patchDesired("{\"speed\": 4}", TwinLimits.IOT_HUB));
        bus.fromAnotherNode("desired", "{\"device\": \"gw\", \"module\": \"pump\", \"patch\":"
                + " \"{\\\"speed\\\":3,\\\"$version\\\":2}\"}");
        assertThat(heard).containsExactly("gw/pump {\"speed\":3,\"$version\":2} v3");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void anotherNodesChangeWithoutAPatchIsToldAsTheWholeDesiredProperties() {
        stored.put("gw/", desired("{\"a\": 1}"));
        bus.fromAnotherNode("desired", "{\"device\": \"gw\", \"module\": null}");
        assertThat(heard).containsExactly("gw/null {\"a\":1,\"$version\":2} v2");
    }

    @Test
    void eventsOfGoneDevicesAndEventsThatAreNotJsonAreIgnored() {
        bus.fromAnotherNode("desired", "{\"device\": \"ghost\", \"module\": \"m\", \"patch\": \"{}\"}");
        bus.fromAnotherNode("desired", "not json");
        assertThat(heard).isEmpty();
    }

    @Test
    void tagChangesAreToldHereOnly() {
        List<String> tagged = new CopyOnWriteArrayList<>();
        notifier.onTags(tagged::add);
        notifier.tagsChanged("gw");
        assertThat(tagged).containsExactly("gw");
        assertThat(bus.published).isEmpty();
    }

    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromHearing() {
        notifier.onDesired((device, module, patch, twin) -> {
            throw new IllegalStateException("broken listener");
        });
        notifier.onDesired((device, module, patch, twin) -> heard.add("third"));
        notifier.desiredReplaced("gw", "m", desired("{}"));
        assertThat(heard).hasSize(2).endsWith("third");
    }

    @Test
    void aClosedNotifierHearsNoOtherNodes() {
        notifier.close();
        assertThat(bus.listening("desired")).isZero();
    }
}
