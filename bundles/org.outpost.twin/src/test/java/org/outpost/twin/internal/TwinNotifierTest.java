/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.outpost.api.message.Message;
import org.outpost.api.module.DesiredPropertiesListener;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.routing.api.Routing;

class TwinNotifierTest {

    private final Map<ServiceReference<?>, DesiredPropertiesListener> registered = new HashMap<>();
    private final List<Message> routed = new CopyOnWriteArrayList<>();
    private final List<String> told = new CopyOnWriteArrayList<>();
    private final TwinNotifier notifier = new TwinNotifier(new ModuleServices(Fakes.fake(BundleContext.class,
            Map.of("getServiceObjects", args -> {
                DesiredPropertiesListener l = registered.get(args[0]);
                return l == null ? null : Fakes.objects(l, new int[2]);
            }))), Fakes.fake(Routing.class, Map.of("route", args -> {
                routed.add((Message) args[0]);
                return CompletableFuture.completedFuture(null);
            })), Fakes.fake(EdgeRuntime.class, Map.of("deviceId", args -> "gw-1")));

    @AfterEach
    void close() {
        notifier.close();
    }

    private ServiceReference<DesiredPropertiesListener> listener(String module, DesiredPropertiesListener l) {
        ServiceReference<DesiredPropertiesListener> ref = Fakes.reference(module, Map.of());
        registered.put(ref, l);
        notifier.addListener(ref);
        return ref;
    }

    private DesiredPropertiesListener recording(String name) {
        return (patch, version) -> told.add(name + " " + version + " " + patch + " on "
                + Thread.currentThread().getName());
    }

    @Test
    void theModulesListenersAreToldOfEachDesiredChangeInOrderOnTheNotifierThread() {
        listener("filter", recording("a"));

        notifier.desiredChanged("filter", "{\"t\":1}", 1);
        notifier.desiredChanged("filter", "{\"t\":2}", 2);

        await().until(() -> told.size() == 2);
        assertThat(told).containsExactly("a 1 {\"t\":1} on outpost-twin-listeners",
                "a 2 {\"t\":2} on outpost-twin-listeners");
    }

    @Test
    void onlyTheChangedModulesListenersAreTold() {
        listener("filter", recording("filter"));
        listener("sensor", recording("sensor"));

        notifier.desiredChanged("sensor", "{}", 7);

        await().until(() -> told.size() == 1);
        notifier.desiredChanged("sensor", "{}", 8);
        await().until(() -> told.size() == 2);
        assertThat(told).allMatch(t -> t.startsWith("sensor"));
    }

    @Test
    void aListenerThatFailsDoesNotKeepTheOthersFromBeingTold() {
        listener("filter", (patch, version) -> {
            throw new IllegalStateException("broken listener");
        });
        listener("filter", recording("good"));

        notifier.desiredChanged("filter", "{}", 3);

        await().until(() -> told.size() == 1);
        assertThat(told).containsExactly("good 3 {} on outpost-twin-listeners");
    }

    @Test
    void aRemovedListenerOrOneOfABundleWithoutModuleIdIsNotTold() {
        ServiceReference<DesiredPropertiesListener> gone = listener("filter", recording("gone"));
        notifier.removeListener(gone);
        listener(null, recording("anonymous"));
        listener("filter", recording("present"));

        notifier.desiredChanged("filter", "{}", 1);

        await().until(() -> told.size() == 1);
        assertThat(told).containsExactly("present 1 {} on outpost-twin-listeners");
    }

    @Test
    void aReportedChangeIsToldToTheCloudSideAndRoutedAsATwinChangeNotification() {
        List<String> cloud = new CopyOnWriteArrayList<>();
        notifier.onReportedChange(cloud::add);

        notifier.reportedChanged("filter", "{\"temp\": 21}", 4);

        assertThat(cloud).containsExactly("filter");
        await().until(() -> routed.size() == 1);
        Message m = routed.get(0);
        assertThat(m.bodyAsString()).isEqualTo("{\"version\":4,\"properties\":{\"reported\":{\"temp\":21}}}");
        assertThat(m.connectionModuleId()).isEqualTo("filter");
        assertThat(m.connectionDeviceId()).isEqualTo("gw-1");
        assertThat(m.outputName()).isEqualTo(Routing.TWIN_CHANGE_NOTIFICATIONS);
    }

    @Test
    void afterCloseReportedChangesAreNoLongerRoutedAndDesiredChangesAreRefused() {
        notifier.close();
        notifier.onReportedChange(null);

        notifier.reportedChanged("filter", "{}", 1);

        assertThat(routed).isEmpty();
        assertThatThrownBy(() -> notifier.desiredChanged("filter", "{}", 1))
                .isInstanceOf(RejectedExecutionException.class);
    }
}
