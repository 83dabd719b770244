/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.hub.api.Twins;
import org.outpost.protocol.TwinDocument;
import org.outpost.protocol.TwinLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's twins, one file per twin under {@code ${karaf.data}/outpost/hub/twins/<device>/} ({@code $device.json}
 * for the device's own, {@code <module>.json} for a module's), each written to a temporary file that atomically
 * replaces the old one, so a crash leaves the previous version or the new one, never a torn file. Changes to one twin
 * are serialized; listeners hear of each desired change after it is stored.
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
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String DEVICE_FILE = "$device";
    private static final String TAGS_FILE = "$tags.json";

    private final Path directory;
    private final DeviceStore devices;
    private final TwinLimits limits;
    private final Map<String, TwinDocument> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final List<DesiredListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, com.fasterxml.jackson.databind.node.ObjectNode> tags = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<String>> tagListeners = new CopyOnWriteArrayList<>();
    private final Runnable stopListening;

    @Activate
    public TwinStore(BundleContext context, @Reference DeviceStore devices, Config config) {
        this(Path.of(Objects.requireNonNullElse(context.getProperty("karaf.data"), "data"), "outpost", "hub", "twins"),
                devices, TwinLimits.of(config.max_section_kb(), config.max_depth(), config.max_value_kb(),
                        config.max_key_bytes()));
    }

    TwinStore(Path directory, DeviceStore devices, TwinLimits limits) {
        this.directory = directory;
        this.devices = devices;
        this.limits = limits;
        // A deleted device's twins go with it: an id registered again starts with empty twins.
        this.stopListening = devices.onDelete(id -> {
            try {
                delete(id);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the twins of " + id, e);
            }
        });
    }

    @Deactivate
    void deactivate() {
        stopListening.run();
    }

    void addListener(DesiredListener l) {
        listeners.add(l);
    }

    void removeListener(DesiredListener l) {
        listeners.remove(l);
    }

    /** Hears of changed tags (with the device id), after they are stored. */
    Runnable onTagsChanged(java.util.function.Consumer<String> listener) {
        tagListeners.add(listener);
        return () -> tagListeners.remove(listener);
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode tags(String deviceId) {
        return storedTags(deviceId).deepCopy();
    }

    private com.fasterxml.jackson.databind.node.ObjectNode storedTags(String deviceId) {
        Path file = file(deviceId, null).resolveSibling(TAGS_FILE);
        return tags.computeIfAbsent(deviceId, k -> {
            try {
                return Files.exists(file) ? (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                        Files.readString(file, StandardCharsets.UTF_8)) : JSON.createObjectNode();
            } catch (IOException | ClassCastException e) {
                throw new UncheckedIOException("cannot read the tags " + file, e instanceof IOException io ? io
                        : new IOException("not a JSON object"));
            }
        });
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode patchTags(String deviceId, String patchJson) {
        com.fasterxml.jackson.databind.node.ObjectNode after;
        synchronized (this) {
            Path file = file(deviceId, null).resolveSibling(TAGS_FILE);
            after = TwinDocument.patchSection(storedTags(deviceId), patchJson, "tags", limits);
            AtomicFiles.write(file, after.toString());
            tags.put(deviceId, after);
        }
        LOG.info("Tags of {} set to {}", deviceId, after);
        for (java.util.function.Consumer<String> l : tagListeners) {
            try {
                l.accept(deviceId);
            } catch (RuntimeException e) {
                LOG.warn("A listener failed on the tag change of {}: {}", deviceId, e.toString());
            }
        }
        return after.deepCopy();
    }

    @Override
    public List<String> query(org.outpost.hub.query.Condition condition) {
        List<String> out = new java.util.ArrayList<>();
        for (org.outpost.hub.api.Device d : devices.devices()) {
            try {
                if (condition.test(conditionDocument(d.id()))) {
                    out.add(d.id());
                }
            } catch (RuntimeException e) {
                LOG.warn("Twin query: skipping {}: {}", d.id(), e.toString());
            }
        }
        return out;
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode conditionDocument(String deviceId) {
        TwinDocument t = twin(deviceId, null);
        com.fasterxml.jackson.databind.node.ObjectNode doc = JSON.createObjectNode();
        doc.put("deviceId", deviceId);
        doc.set("tags", storedTags(deviceId).deepCopy());
        com.fasterxml.jackson.databind.node.ObjectNode properties = doc.putObject("properties");
        try {
            properties.set("desired", JSON.readTree(t.desired()));
            properties.set("reported", JSON.readTree(t.reported()));
        } catch (IOException e) {
            throw new UncheckedIOException("the twin of " + deviceId + " is not JSON", e);
        }
        return doc;
    }

    @Override
    public TwinDocument twin(String deviceId, String moduleId) {
        Path file = file(deviceId, moduleId);
        return cache.computeIfAbsent(file.toString(), k -> read(file));
    }

    @Override
    public TwinDocument patchDesired(String deviceId, String moduleId, String patchJson) {
        TwinDocument after = change(deviceId, moduleId, t -> t.patchDesired(patchJson, limits));
        LOG.info("Desired properties of {}{} patched to version {}", deviceId, moduleId == null ? "" : "/" + moduleId,
                after.desiredVersion());
        String patch = TwinDocument.combine(patchJson, "{\"$version\": " + after.desiredVersion() + "}");
        listeners.forEach(l -> notify(l, deviceId, moduleId, patch, after));
        return after;
    }

    @Override
    public TwinDocument replaceDesired(String deviceId, String moduleId, String desiredJson) {
        TwinDocument after = change(deviceId, moduleId, t -> t.replaceDesired(desiredJson, limits));
        LOG.info("Desired properties of {}{} replaced at version {}", deviceId, moduleId == null ? "" : "/" + moduleId,
                after.desiredVersion());
        listeners.forEach(l -> notify(l, deviceId, moduleId, after.desired(), after));
        return after;
    }

    @Override
    public TwinDocument patchReported(String deviceId, String moduleId, String patchJson) {
        return change(deviceId, moduleId, t -> t.patchReported(patchJson, limits));
    }

    /** Forgets a deleted device's twins. */
    synchronized void delete(String deviceId) throws IOException {
        Path dir = directory.resolve(deviceId);
        // The separator too: deleting gw1 must not touch gw10.
        String prefix = dir.toString() + java.io.File.separator;
        // The registry has forgotten the device already, so a change that takes a twin's lock from now on is
        // refused; a change holding one now finishes its write before this goes on, and its file is deleted below.
        for (Map.Entry<String, Object> lock : locks.entrySet()) {
            if (lock.getKey().startsWith(prefix)) {
                synchronized (lock.getValue()) {
                    LOG.debug("No write in flight on {}", lock.getKey());
                }
            }
        }
        cache.keySet().removeIf(k -> k.startsWith(prefix));
        locks.keySet().removeIf(k -> k.startsWith(prefix));
        tags.remove(deviceId);
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private TwinDocument change(String deviceId, String moduleId, UnaryOperator<TwinDocument> how) {
        Path file = file(deviceId, moduleId);
        // One twin's changes are serialized; different twins are written (and wait for the disk) side by side.
        synchronized (locks.computeIfAbsent(file.toString(), k -> new Object())) {
            // Again under the lock: a device deleted meanwhile must not get a twin file back (see delete).
            if (devices.device(deviceId).isEmpty()) {
                throw new IllegalArgumentException("no device '" + deviceId + "' is registered (see hub:devices)");
            }
            TwinDocument before = twin(deviceId, moduleId);
            TwinDocument after = how.apply(before);
            write(file, after);
            cache.put(file.toString(), after);
            return after;
        }
    }

    private static void notify(DesiredListener l, String deviceId, String moduleId, String patch, TwinDocument twin) {
        try {
            l.desiredChanged(deviceId, moduleId, patch, twin);
        } catch (RuntimeException e) {
            LOG.warn("A listener failed on the desired change of {}/{}: {}", deviceId, moduleId, e.toString());
        }
    }

    private Path file(String deviceId, String moduleId) {
        if (devices.device(deviceId).isEmpty()) {
            throw new IllegalArgumentException("no device '" + deviceId + "' is registered (see hub:devices)");
        }
        if (moduleId != null && !moduleId.matches("\\$?[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("module id '" + moduleId + "' is not valid: use 1 to 64 letters,"
                    + " digits, '-' or '_' (or $edgeAgent, $edgeHub)");
        }
        return directory.resolve(deviceId).resolve((moduleId == null ? DEVICE_FILE : moduleId) + ".json");
    }

    private static TwinDocument read(Path file) {
        try {
            return Files.exists(file) ? TwinDocument.parse(Files.readString(file, StandardCharsets.UTF_8))
                    : TwinDocument.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the twin " + file, e);
        }
    }

    private static void write(Path file, TwinDocument twin) {
        AtomicFiles.write(file, twin.toJson());
    }

}
