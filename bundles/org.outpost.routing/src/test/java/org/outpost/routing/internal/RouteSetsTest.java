/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.routelanguage.CompiledRoute;

class RouteSetsTest {

    private static final String PID = "org.outpost.routing";
    private static final String UP = "FROM /messages/* INTO $upstream";
    private static final String ALERTS = "FROM /messages/* WHERE MessageType = 'Alert' INTO $upstream";

    /** The routing configuration in memory, with every write kept. */
    private static final class MemorySettings implements RouteSets.Settings {
        volatile Dictionary<String, Object> properties;
        final List<Dictionary<String, Object>> writes = new CopyOnWriteArrayList<>();

        @Override
        public Dictionary<String, Object> read() {
            return properties;
        }

        @Override
        public void write(Dictionary<String, Object> next) {
            properties = next;
            writes.add(next);
        }
    }

    @TempDir
    Path etc;
    private final MemorySettings settings = new MemorySettings();
    private RouteSets sets;

    @AfterEach
    void close() {
        if (sets != null) {
            sets.close();
        }
    }

    private static List<String> names(RouteSets s) {
        return s.running().table().routes().stream().map(CompiledRoute::name).toList();
    }

    private static String section(String name, String route) {
        return "{\"routes\": {\"" + name + "\": \"" + route.replace("\"", "\\\"") + "\"}}";
    }

    @Test
    void theConfigurationsRoutesRunAtStartWithoutARoutesFile() throws Exception {
        sets = new RouteSets(PID, settings, Map.of("route.up", UP, "service.pid", PID), null);

        assertThat(names(sets)).containsExactly("up");
        assertThat(sets.lastRejection()).isEmpty();
        assertThat(settings.writes).isEmpty();
    }

    @Test
    void aBadConfigurationIsRejectedWholeAndTheRunningRoutesStay() throws Exception {
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), null);
        RouteSets.Running before = sets.running();
        settings.properties = new Hashtable<>(Map.of("route.up", UP, "route.bad", "FROM /messages/* INTO nowhere"));

        sets.configurationChanged(Map.of());

        assertThat(sets.running()).isSameAs(before);
        assertThat(sets.lastRejection()).hasValueSatisfying(why -> assertThat(why)
                .contains(": configuration org.outpost.routing rejected, the running routes stay: route 'bad':"));
    }

    @Test
    void aConfigurationEventAppliesWhatTheConfigurationHoldsNowNotWhatTheEventCarried() throws Exception {
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), null);
        settings.properties = new Hashtable<>(Map.of("route.alerts", ALERTS));

        sets.configurationChanged(Map.of("route.stale", UP));

        assertThat(names(sets)).containsExactly("alerts");
    }

    @Test
    void theSameSetAppliedAgainKeepsTheRunningSetAndItsCounters() throws Exception {
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), null);
        RouteSets.Running before = sets.running();
        before.taken().get("up").increment();
        settings.properties = new Hashtable<>(Map.of("route.up", UP, "service.pid", PID));

        sets.configurationChanged(Map.of());

        assertThat(sets.running()).isSameAs(before);
        assertThat(sets.running().taken().get("up").sum()).isEqualTo(1);
    }

    @Test
    void setRoutesRunsTheNewSetAtOnceAndStoresItInTheConfigurationAndTheRoutesFile() throws Exception {
        Path file = etc.resolve("edgehub.json");
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), file);

        sets.setRoutes(section("alerts", ALERTS));

        assertThat(names(sets)).containsExactly("alerts");
        assertThat(settings.properties.get("route.alerts")).isEqualTo(ALERTS);
        assertThat(settings.properties.get("route.up")).isNull();
        assertThat(Files.readString(file)).contains("\"alerts\"").contains("MessageType = 'Alert'");
    }

    @Test
    void theOriginSaysWhereTheRunningRoutesCameFrom() throws Exception {
        Path file = etc.resolve("edgehub.json");
        Files.writeString(file, section("up", UP));
        sets = new RouteSets(PID, settings, Map.of(), file);
        assertThat(sets.origin()).isEqualTo(file.toString());

        sets.setRoutes(section("alerts", ALERTS));
        assertThat(sets.origin()).isEqualTo("a local change (edge:routes-set or a deployment)");

        sets.configurationChanged(Map.of());
        assertThat(sets.origin()).as("the configuration event that echoes a set keeps its origin")
                .isEqualTo("a local change (edge:routes-set or a deployment)");

        sets.setCloudRoutes(section("alerts", ALERTS), 7);
        assertThat(sets.origin()).as("the same routes from the hub").isEqualTo("the hub's $edgeHub twin (version 7)");
    }

    @Test
    void onceTheHubSetsTheRoutesALocalChangeIsRefusedSayingWhereToChangeThem() throws Exception {
        Path file = etc.resolve("edgehub.json");
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), file);
        sets.setCloudRoutes(section("alerts", ALERTS), 3);

        assertThatThrownBy(() -> sets.setRoutes(section("up", UP))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the running routes come from the hub's $edgeHub twin (version 3): change them"
                        + " at the hub (hub:twin-set -m '$edgeHub' <device> ...)");
        assertThatThrownBy(sets::checkLocalChange).as("a deployment's check, before it changes anything")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("$edgeHub twin (version 3)");
        Files.writeString(file, section("up", UP));
        await().atMost(Duration.ofSeconds(10)).until(() -> sets.lastRejection().isPresent());
        assertThat(sets.lastRejection().orElseThrow()).contains("edgehub.json changed but was not applied: the running"
                + " routes come from the hub's $edgeHub twin (version 3)");
        assertThat(names(sets)).containsExactly("alerts");
    }

    @Test
    void setRoutesRejectsABadSetWholeAndChangesNothing() throws Exception {
        Path file = etc.resolve("edgehub.json");
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), file);
        RouteSets.Running before = sets.running();

        assertThatThrownBy(() -> sets.setRoutes("{\"routes\": {\"good\": \"" + UP.replace("\"", "\\\"")
                + "\", \"bad\": \"FROM /messages/* INTO nowhere\"}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("route 'bad': column 23: the sink must be $upstream");
        assertThatThrownBy(() -> sets.setRoutes("{routes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the routes are not JSON: ");

        assertThat(sets.running()).isSameAs(before);
        assertThat(settings.writes).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void checkRoutesSaysWhatIsWrongAndAppliesNothing() throws Exception {
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), null);

        RouteSets.checkRoutes(section("alerts", ALERTS));
        assertThatThrownBy(() -> RouteSets.checkRoutes(section("bad", "FROM /messages/* INTO nowhere")))
                .hasMessageStartingWith("route 'bad': column 23");

        assertThat(names(sets)).containsExactly("up");
        assertThat(settings.writes).isEmpty();
    }

    @Test
    void theRoutesFileWinsOverTheConfigurationAtStartAndIsStoredAsTheConfiguration() throws Exception {
        Path file = etc.resolve("edgehub.json");
        Files.writeString(file, section("alerts", ALERTS));

        sets = new RouteSets(PID, settings, Map.of("route.up", UP), file);

        assertThat(names(sets)).containsExactly("alerts");
        assertThat(settings.properties.get("route.alerts")).isEqualTo(ALERTS);
    }

    @Test
    void aChangedRoutesFileIsAppliedAndABadOneIsRejectedWhileTheRunningRoutesStay() throws Exception {
        Path file = etc.resolve("edgehub.json");
        sets = new RouteSets(PID, settings, Map.of("route.up", UP), file);

        Files.writeString(file, section("alerts", ALERTS));
        await().atMost(Duration.ofSeconds(10)).until(() -> names(sets).equals(List.of("alerts")));
        RouteSets.Running good = sets.running();

        Files.writeString(file, "{\"routes\": {\"bad\": \"FROM /messages/* INTO nowhere\"}, \"x\": 1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> sets.lastRejection().isPresent());

        assertThat(sets.lastRejection().get()).contains(file + " rejected, the running routes stay: route 'bad':");
        assertThat(sets.running()).isSameAs(good);
        assertThat(settings.properties.get("route.alerts")).isEqualTo(ALERTS);
    }

    @Test
    void aRoutesFileThatIsNotJsonIsRejectedSayingSo() throws Exception {
        Path file = etc.resolve("edgehub.json");
        Files.writeString(file, "{not json");

        sets = new RouteSets(PID, settings, Map.of("route.up", UP), file);

        assertThat(names(sets)).containsExactly("up");
        assertThat(sets.lastRejection().get()).contains(file + " rejected, the running routes stay: it is not JSON: ");
    }
}
