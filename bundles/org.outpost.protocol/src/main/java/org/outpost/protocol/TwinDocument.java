/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A device or module twin: desired and reported properties, each with its {@code $version}, in IoT Hub's shape
 * ({@code {"desired": {..., "$version": 4}, "reported": {..., "$version": 9}}}). Immutable: a patch gives a new
 * document whose section version is one more.
 * <p>
 * Patches are JSON merge patches: an object merges into the object under the same key, {@code null} deletes the key,
 * anything else replaces it. A patch that breaks a {@link TwinLimits limit} or a key rule is refused whole with a
 * {@link TwinException} naming the path.
 */
public final class TwinDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "$version";

    private final ObjectNode desired;
    private final long desiredVersion;
    private final ObjectNode reported;
    private final long reportedVersion;

    private TwinDocument(ObjectNode desired, long desiredVersion, ObjectNode reported, long reportedVersion) {
        this.desired = desired;
        this.desiredVersion = desiredVersion;
        this.reported = reported;
        this.reportedVersion = reportedVersion;
    }

    /** @return a new twin: both sections empty, at version 1 as in IoT Hub */
    public static TwinDocument empty() {
        return new TwinDocument(JSON.createObjectNode(), 1, JSON.createObjectNode(), 1);
    }

    /**
     * @param json a twin in the shape {@link #toJson()} writes
     * @return the twin
     * @throws TwinException if it is not that shape
     */
    public static TwinDocument parse(String json) {
        JsonNode root = object(read(json, "twin"), "twin");
        JsonNode d = root.path("desired");
        JsonNode r = root.path("reported");
        ObjectNode desired = d.isObject() ? ((ObjectNode) d).deepCopy() : JSON.createObjectNode();
        ObjectNode reported = r.isObject() ? ((ObjectNode) r).deepCopy() : JSON.createObjectNode();
        long dv = desired.path(VERSION).asLong(1);
        long rv = reported.path(VERSION).asLong(1);
        desired.remove(VERSION);
        reported.remove(VERSION);
        return new TwinDocument(desired, dv, reported, rv);
    }

    /** @return the twin as IoT Hub returns it for a GET: {@code {"desired": {...}, "reported": {...}}} */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("desired", withVersion(desired, desiredVersion));
        root.set("reported", withVersion(reported, reportedVersion));
        return root.toString();
    }

    /** @return the desired properties with their {@code $version} */
    public String desired() {
        return withVersion(desired, desiredVersion).toString();
    }

    /** @return the reported properties with their {@code $version} */
    public String reported() {
        return withVersion(reported, reportedVersion).toString();
    }

    public long desiredVersion() {
        return desiredVersion;
    }

    public long reportedVersion() {
        return reportedVersion;
    }

    /**
     * @param patchJson a merge patch of the desired properties
     * @return the twin with the patch applied and the desired version one more
     * @throws TwinException if the patch is malformed or the result breaks a limit; nothing changes then
     */
    public TwinDocument patchDesired(String patchJson, TwinLimits limits) {
        return new TwinDocument(patched(desired, patchJson, "desired", limits), desiredVersion + 1, reported,
                reportedVersion);
    }

    /**
     * @param patchJson a merge patch of the reported properties
     * @return the twin with the patch applied and the reported version one more
     * @throws TwinException if the patch is malformed or the result breaks a limit; nothing changes then
     */
    public TwinDocument patchReported(String patchJson, TwinLimits limits) {
        return new TwinDocument(desired, desiredVersion, patched(reported, patchJson, "reported", limits),
                reportedVersion + 1);
    }

    /**
     * @param desiredJson the new desired properties (a {@code $version} in them is ignored)
     * @return the twin with these desired properties, at a desired version one more
     * @throws TwinException if they are malformed or break a limit
     */
    public TwinDocument replaceDesired(String desiredJson, TwinLimits limits) {
        ObjectNode next = (ObjectNode) object(read(desiredJson, "desired"), "desired").deepCopy();
        next.remove(VERSION);
        check(next, "desired", 1, limits);
        checkSize(next, "desired", limits);
        return new TwinDocument(next, desiredVersion + 1, reported, reportedVersion);
    }

    /**
     * @param desiredJson desired properties as another holder of this twin has them (a {@code $version} in them is
     *            ignored)
     * @param version their version there
     * @return the twin with these desired properties at that version: how a gateway takes the hub's copy
     * @throws TwinException if they are malformed or break a limit
     */
    public TwinDocument withDesired(String desiredJson, long version, TwinLimits limits) {
        TwinDocument replaced = replaceDesired(desiredJson, limits);
        return new TwinDocument(replaced.desired, version, reported, reportedVersion);
    }

    /**
     * @param fromJson a JSON object
     * @param toJson another
     * @return the merge patch that turns {@code fromJson} into {@code toJson} ({@code {}} when they are equal; keys only
     *         in {@code fromJson} become {@code null}); {@code $version} keys are left out
     * @throws TwinException if either is not a JSON object
     */
    public static String diff(String fromJson, String toJson) {
        ObjectNode from = (ObjectNode) object(read(fromJson, "twin section"), "twin section").deepCopy();
        ObjectNode to = (ObjectNode) object(read(toJson, "twin section"), "twin section").deepCopy();
        from.remove(VERSION);
        to.remove(VERSION);
        return diff(from, to).toString();
    }

    /** @return the merge patch that turns {@code from} into {@code to} (keys only in {@code from} become null) */
    public static ObjectNode diff(ObjectNode from, ObjectNode to) {
        ObjectNode patch = from.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = to.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode old = from.get(f.getKey());
            JsonNode now = f.getValue();
            if (now.isObject() && old != null && old.isObject()) {
                ObjectNode inner = diff((ObjectNode) old, (ObjectNode) now);
                if (!inner.isEmpty()) {
                    patch.set(f.getKey(), inner);
                }
            } else if (!now.equals(old) && !(now.isNull() && old == null)) {
                patch.set(f.getKey(), now.deepCopy());
            }
        }
        for (Iterator<String> it = from.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!to.has(key)) {
                patch.putNull(key);
            }
        }
        return patch;
    }

    /**
     * Combines two patches into one with the effect of applying {@code first}, then {@code second}: how reported
     * patches made while offline become one. Deletions ({@code null}) are kept so that they still apply.
     *
     * @return the combined patch
     * @throws TwinException if either is not a JSON object
     */
    public static String combine(String first, String second) {
        ObjectNode a = (ObjectNode) object(read(first, "patch"), "patch").deepCopy();
        combineInto(a, (ObjectNode) object(read(second, "patch"), "patch"));
        return a.toString();
    }

    private static void combineInto(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode existing = target.get(f.getKey());
            if (f.getValue().isObject() && existing != null && existing.isObject()) {
                combineInto((ObjectNode) existing, (ObjectNode) f.getValue());
            } else {
                target.set(f.getKey(), f.getValue().deepCopy());
            }
        }
    }

    /**
     * Applies a merge patch to a JSON object kept beside a twin (the hub keeps a device's tags so), under the same key
     * rules and limits as a twin section.
     *
     * @param sectionJson the object now
     * @param patchJson the merge patch ({@code null} deletes a key)
     * @param name what the object is called in errors ({@code tags} gives {@code tags.site: ...})
     * @return the object after the patch
     * @throws TwinException if the patch is malformed or the result breaks a limit
     */
    public static ObjectNode patchSection(ObjectNode sectionJson, String patchJson, String name, TwinLimits limits) {
        return patched(sectionJson, patchJson, name, limits);
    }

    private static ObjectNode patched(ObjectNode section, String patchJson, String at, TwinLimits limits) {
        JsonNode patch = object(read(patchJson, at), at);
        check(patch, at, 1, limits);
        ObjectNode next = section.deepCopy();
        merge(next, (ObjectNode) patch);
        checkDepth(next, at, 1, limits);
        checkSize(next, at, limits);
        return next;
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(VERSION)) {
                continue;
            }
            JsonNode value = f.getValue();
            if (value.isNull()) {
                target.remove(f.getKey());
            } else if (value.isObject()) {
                JsonNode existing = target.get(f.getKey());
                ObjectNode into = existing != null && existing.isObject() ? (ObjectNode) existing
                        : target.putObject(f.getKey());
                merge(into, (ObjectNode) value);
            } else {
                target.set(f.getKey(), value.deepCopy());
            }
        }
    }

    /**
     * Key rules, value sizes and depth of a patch (its nulls are deletions, allowed anywhere). Objects inside arrays
     * are held to the same rules as any other, and an array nests like an object: its elements are one level deeper.
     */
    private static void check(JsonNode node, String at, int depth, TwinLimits limits) {
        if (depth > limits.maxDepth()) {
            throw new TwinException(at, "nested deeper than " + limits.maxDepth() + " levels");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            String path = at + "." + key;
            if (key.equals(VERSION) && depth == 1) {
                continue;
            }
            checkKey(key, path, limits);
            checkValue(f.getValue(), path, depth, limits);
        }
    }

    /** A value of an object or an array at {@code depth}: a container is checked one level deeper. */
    private static void checkValue(JsonNode v, String path, int depth, TwinLimits limits) {
        if (v.isObject()) {
            check(v, path, depth + 1, limits);
        } else if (v.isArray()) {
            checkArray(v, path, depth + 1, limits);
        } else if (v.isTextual() && v.textValue().getBytes(StandardCharsets.UTF_8).length > limits.maxValueBytes()) {
            throw new TwinException(path, "a string value may have at most " + limits.maxValueBytes()
                    + " bytes; this one has " + v.textValue().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private static void checkArray(JsonNode array, String at, int depth, TwinLimits limits) {
        if (depth > limits.maxDepth()) {
            throw new TwinException(at, "nested deeper than " + limits.maxDepth() + " levels");
        }
        for (int i = 0; i < array.size(); i++) {
            checkValue(array.get(i), at + "[" + i + "]", depth, limits);
        }
    }

    private static void checkKey(String key, String path, TwinLimits limits) {
        if (key.isEmpty()) {
            throw new TwinException(path, "a key may not be empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > limits.maxKeyBytes()) {
            throw new TwinException(path, "a key may have at most " + limits.maxKeyBytes() + " bytes");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.' || c == '$' || c == ' ' || Character.isISOControl(c)) {
                throw new TwinException(path, "a key may not contain '.', '$', spaces or control characters;"
                        + " found " + (c == ' ' ? "a space" : Character.isISOControl(c) ? "a control character"
                                : "'" + c + "'") + " in '" + key + "'");
            }
        }
    }

    /** The depth of a section after a merge, counted as {@link #check} counts it (arrays nest like objects). */
    private static void checkDepth(JsonNode node, String at, int depth, TwinLimits limits) {
        if (depth > limits.maxDepth()) {
            throw new TwinException(at, "nested deeper than " + limits.maxDepth() + " levels");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isContainerNode()) {
                    checkDepth(f.getValue(), at + "." + f.getKey(), depth + 1, limits);
                }
            }
        } else {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isContainerNode()) {
                    checkDepth(node.get(i), at + "[" + i + "]", depth + 1, limits);
                }
            }
        }
    }

    private static void checkSize(ObjectNode section, String at, TwinLimits limits) {
        int size = section.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size > limits.maxSectionBytes()) {
            throw new TwinException(at, "the properties would take " + size + " bytes; at most "
                    + limits.maxSectionBytes() + " are allowed (delete keys with null to make room)");
        }
    }

    private static ObjectNode withVersion(ObjectNode section, long version) {
        ObjectNode out = section.deepCopy();
        out.put(VERSION, version);
        return out;
    }

    private static JsonNode read(String json, String at) {
        try {
            return JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            // A parser limit (nesting deeper than Jackson's 1000 levels, say) has no location.
            throw new TwinException(at, "not JSON: " + e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
    }

    private static JsonNode object(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new TwinException(at, "must be a JSON object");
        }
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwinDocument t && t.desiredVersion == desiredVersion
                && t.reportedVersion == reportedVersion && t.desired.equals(desired) && t.reported.equals(reported);
    }

    @Override
    public int hashCode() {
        return desired.hashCode() * 31 + reported.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
