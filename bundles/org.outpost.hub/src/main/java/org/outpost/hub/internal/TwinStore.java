/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.metrics.Metrics;
import org.outpost.commons.Listeners.Subscription;
import org.outpost.hub.api.Twins;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's twins, in the hub database ({@link TwinRepository}): one row per twin and the tags in the device's row,
 * written optimistically, so that a change that lost a race with another node is applied again to the newer version.
 * Within a node, one twin's changes are also serialized here, so they do not race at all.
 *
 * <p>
 * Listeners hear of each desired change after it is stored: this node's at once, another node's through the
 * database's events ({@link TwinNotifier}).
 */
@Component(service = {Twins.class, TwinStore.class}, configurationPid = "org.outpost.hub.twins")
@Designate(ocd = TwinStore.Config.class)
public final class TwinStore implements Twins {

    @ObjectClassDefinition(name = "Outpost hub twins", description = "Limits of the twins the hub keeps; a patch over one is refused whole with its path.")
    public @interface Config {
        @AttributeDefinition(description = "Largest desired or reported section, in KB (IoT Hub: 32).")
        int max_section_kb() default 32;

        @AttributeDefinition(description = "Deepest nesting of objects (IoT Hub: 10).")
        int max_depth() default 10;

        @AttributeDefinition(description = "Largest string value, in KB (IoT Hub: 4).")
        int max_value_kb() default 4;

        @AttributeDefinition(description = "Largest key, in bytes (IoT Hub: 1024).")
        int max_key_bytes() default 1024;
    }

    /** Hears of desired changes, after they are stored. */
    @FunctionalInterface
    interface DesiredListener {
        /**
         * @param patch what changed, as a merge patch (the whole desired properties after a replace), with the new
         *            {@code $version}
         */
        void desiredChanged(String deviceId, String moduleId, String patch, TwinDocument twin);
    }

    private static final Logger LOG = LoggerFactory.getLogger(TwinStore.class);

    private final TwinRepository repository;
    private final TwinLimits limits;
    private final TwinNotifier notifier;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** The subscriptions of the listeners added, in the order added (a listener added twice is told twice). */
    private final Map<DesiredListener, Deque<Subscription>> listeners = new ConcurrentHashMap<>();
    private final Runnable stopDeletes;
    /** Counts twin operations (outpost_hub_twin_operations_total) while the metrics are there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Metrics metrics;

    @Activate
    public TwinStore(@Reference HubDatabase db, @Reference DeviceStore devices, Config config) {
        this(db, devices, TwinLimits.of(config.max_section_kb(), config.max_depth(), config.max_value_kb(),
                config.max_key_bytes()));
    }

    TwinStore(HubDatabase db, DeviceStore devices, TwinLimits limits) {
        this.repository = new TwinRepository(db);
        this.limits = limits;
        this.notifier = new TwinNotifier(db, repository::twin);
        this.stopDeletes = devices.onDelete(this::forget);
    }

    @Deactivate
    void deactivate() {
        notifier.close();
        stopDeletes.run();
    }

    void addListener(DesiredListener l) {
        Subscription s = notifier.onDesired(l);
        listeners.computeIfAbsent(l, k -> new ArrayDeque<>()).add(s);
    }

    void removeListener(DesiredListener l) {
        listeners.computeIfPresent(l, (k, subscriptions) -> {
            Subscription s = subscriptions.pollLast();
            if (s != null) {
                s.close();
            }
            return subscriptions.isEmpty() ? null : subscriptions;
        });
    }

    /** Hears of tags changed through this node (with the device id), after they are stored. */
    Runnable onTagsChanged(Consumer<String> listener) {
        return notifier.onTags(listener)::close;
    }

    @Override
    public ObjectNode tags(String deviceId) {
        return repository.tags(deviceId);
    }

    @Override
    public Map<String, ObjectNode> tagsOf(Collection<String> deviceIds) {
        return repository.tags(deviceIds);
    }

    @Override
    public Map<String, TwinDocument> twinsOf(Collection<String> deviceIds, String moduleId) {
        return repository.twins(deviceIds, moduleId);
    }

    @Override
    public ObjectNode patchTags(String deviceId, String patchJson) {
        ObjectNode after;
        synchronized (lock(deviceId, "$tags")) {
            after = repository.changeTags(deviceId, before -> TwinDocument.patchSection(before, patchJson, "tags",
                    limits));
        }
        LOG.info("Tags of {} set to {}", deviceId, after);
        notifier.tagsChanged(deviceId);
        return after.deepCopy();
    }

    @Override
    public List<String> query(org.outpost.hub.query.Condition condition) {
        List<String> out = new ArrayList<>();
        conditionDocuments().forEach((id, doc) -> {
            try {
                if (condition.test(doc)) {
                    out.add(id);
                }
            } catch (RuntimeException e) {
                LOG.warn("Twin query: skipping {}: {}", id, e.toString());
            }
        });
        return out;
    }

    @Override
    public ObjectNode conditionDocument(String deviceId) {
        return repository.conditionDocument(deviceId);
    }

    /** @return what conditions see of every device, by id (sorted), read in one go */
    Map<String, ObjectNode> conditionDocuments() {
        return repository.conditionDocuments();
    }

    /** @return one module's twin of every device that has one, by device id, read in one go */
    Map<String, TwinDocument> twins(String moduleId) {
        return repository.twins(moduleId);
    }

    @Override
    public TwinDocument twin(String deviceId, String moduleId) {
        count("get");
        return repository.twin(deviceId, moduleId);
    }

    @Override
    public TwinDocument patchDesired(String deviceId, String moduleId, String patchJson) {
        count("desired");
        TwinDocument after = change(deviceId, moduleId, t -> t.patchDesired(patchJson, limits));
        LOG.info("Desired properties of {}{} patched to version {}", deviceId, moduleId == null ? "" : "/" + moduleId,
                after.desiredVersion());
        notifier.desiredPatched(deviceId, moduleId, patchJson, after);
        return after;
    }

    @Override
    public TwinDocument replaceDesired(String deviceId, String moduleId, String desiredJson) {
        count("desired");
        TwinDocument after = change(deviceId, moduleId, t -> t.replaceDesired(desiredJson, limits));
        LOG.info("Desired properties of {}{} replaced at version {}", deviceId, moduleId == null ? "" : "/" + moduleId,
                after.desiredVersion());
        notifier.desiredReplaced(deviceId, moduleId, after);
        return after;
    }

    @Override
    public TwinDocument patchReported(String deviceId, String moduleId, String patchJson) {
        count("reported");
        return change(deviceId, moduleId, t -> t.patchReported(patchJson, limits));
    }

    private void count(String operation) {
        Metrics m = metrics;
        if (m != null) {
            m.counter("outpost_hub_twin_operations_total", "operation", operation).increment();
        }
    }

    private TwinDocument change(String deviceId, String moduleId, UnaryOperator<TwinDocument> how) {
        synchronized (lock(deviceId, TwinRepository.module(moduleId))) {
            return repository.change(deviceId, moduleId, how);
        }
    }

    private Object lock(String deviceId, String module) {
        // Locks of deleted devices are few and small; they go when the device does (below).
        return locks.computeIfAbsent(deviceId + "/" + module, k -> new Object());
    }

    /** Forgets the locks of a deleted device (its rows went with it). */
    void forget(String deviceId) {
        locks.keySet().removeIf(k -> k.startsWith(deviceId + "/"));
    }
}
