/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * The IoT Hub MQTT topics of twins, direct methods and cloud-to-device messages (telemetry is
 * {@link TelemetryTopic}). Twin and method topics name no device: the server knows the device by its connection.
 * <ul>
 * <li>{@code $iothub/twin/GET/?$rid=<rid>}: the device asks for its twin;</li>
 * <li>{@code $iothub/twin/PATCH/properties/reported/?$rid=<rid>}: the device patches its reported properties;</li>
 * <li>{@code $iothub/twin/res/<status>/?$rid=<rid>[&$version=<v>]}: the answer to either;</li>
 * <li>{@code $iothub/twin/PATCH/properties/desired/?$version=<v>}: a desired patch, to the device;</li>
 * <li>{@code $iothub/methods/POST/<method>/?$rid=<rid>}: a direct method call, to the device;</li>
 * <li>{@code $iothub/methods/res/<status>/?$rid=<rid>}: the device's answer;</li>
 * <li>{@code devices/<device>/messages/devicebound/<property bag>}: a cloud-to-device message;</li>
 * <li>{@code $outpost/identities/modules/<PUT|DELETE>/<moduleId>/?$rid=<rid>}: a gateway registers or deletes a
 * module identity of its device (an Outpost extension, docs/protocol.md);</li>
 * <li>{@code $outpost/identities/res/<status>/?$rid=<rid>}: the answer;</li>
 * <li>{@code $outpost/identities/scope/GET/?$rid=<rid>}: a gateway asks for its device scope ({@link DeviceScope}),
 * answered on {@code $outpost/identities/res/<status>/?$rid=<rid>} with the scope's JSON;</li>
 * <li>{@code $outpost/identities/scope/changed/?$version=<v>}: the scope changed, to a gateway that subscribed to
 * {@value #SCOPE_CHANGES} (it asks for the scope again);</li>
 * <li>{@code devices/<device>/modules/<module>/inputs/<input>/<property bag>}: a message routed to a module's input,
 * to the module (IoT Edge's edgeHub).</li>
 * </ul>
 */
public sealed interface IotHubTopic {

    /** What a device subscribes to for twin answers. */
    String TWIN_RESPONSES = "$iothub/twin/res/#";
    /** What a device subscribes to for desired patches. */
    String DESIRED_PATCHES = "$iothub/twin/PATCH/properties/desired/#";
    /** What a device subscribes to for method calls. */
    String METHOD_CALLS = "$iothub/methods/POST/#";
    /** What a gateway subscribes to for the answers to its identity requests. */
    String IDENTITY_RESPONSES = "$outpost/identities/res/#";
    /** Where every identity topic starts. */
    String IDENTITIES = "$outpost/identities/";
    /** What a gateway subscribes to, to hear that its device scope changed. */
    String SCOPE_CHANGES = "$outpost/identities/scope/changed/#";

    /** @return the topic string */
    String format();

    record TwinGet(String rid) implements IotHubTopic {
        @Override
        public String format() {
            return "$iothub/twin/GET/?$rid=" + rid;
        }
    }

    record ReportedPatch(String rid) implements IotHubTopic {
        @Override
        public String format() {
            return "$iothub/twin/PATCH/properties/reported/?$rid=" + rid;
        }
    }

    /** @param version the twin version after the request (a reported patch's answer carries it), or null */
    record TwinResponse(int status, String rid, Long version) implements IotHubTopic {
        @Override
        public String format() {
            return "$iothub/twin/res/" + status + "/?$rid=" + rid + (version == null ? "" : "&$version=" + version);
        }
    }

    record DesiredPatch(long version) implements IotHubTopic {
        @Override
        public String format() {
            return "$iothub/twin/PATCH/properties/desired/?$version=" + version;
        }
    }

    record MethodCall(String method, String rid) implements IotHubTopic {
        @Override
        public String format() {
            return "$iothub/methods/POST/" + method + "/?$rid=" + rid;
        }
    }

    record MethodResponse(int status, String rid) implements IotHubTopic {
        @Override
        public String format() {
            return "$iothub/methods/res/" + status + "/?$rid=" + rid;
        }
    }

    /**
     * A cloud-to-device message's topic. As IoT Hub writes it, its system properties come first, starting with
     * {@code $.to} ({@code /devices/<d>/messages/deviceBound}, added when absent), then the application properties:
     * the Azure IoT SDKs read the property bag from the first {@code %24} (an encoded {@code $}) of the topic, so an
     * application property before it would be lost.
     *
     * @param properties the property bag: its system properties, then its application properties, each in the order
     *            given
     */
    record CloudToDevice(String deviceId, Map<String, String> properties) implements IotHubTopic {
        public CloudToDevice {
            Map.copyOf(properties); // no null keys or values
            Map<String, String> ordered = new java.util.LinkedHashMap<>();
            ordered.put("$.to", properties.getOrDefault("$.to", "/devices/" + deviceId + "/messages/deviceBound"));
            properties.forEach((k, v) -> {
                if (k.startsWith("$.")) {
                    ordered.putIfAbsent(k, v);
                }
            });
            properties.forEach(ordered::putIfAbsent);
            properties = java.util.Collections.unmodifiableMap(ordered);
        }

        /** @return the filter a device subscribes to for its messages */
        public static String filter(String deviceId) {
            return "devices/" + deviceId + "/messages/devicebound/#";
        }

        @Override
        public String format() {
            return "devices/" + deviceId + "/messages/devicebound/" + PropertyBag.encode(properties);
        }
    }

    /**
     * A gateway's request to the identity registry: {@code PUT} with the body
     * {@code {"generationId": ..., "primaryKey": ..., "secondaryKey": ...}} registers or replaces a module identity,
     * {@code DELETE} (no body) deletes one.
     *
     * @param method what to do
     * @param moduleId the module (not empty; no '/', '?', '#' or '+')
     * @param rid the request id, which the answer carries
     */
    record IdentityRequest(Method method, String moduleId, String rid) implements IotHubTopic {

        /** What a request does. */
        public enum Method {
            PUT, DELETE
        }

        public IdentityRequest {
            java.util.Objects.requireNonNull(method, "method");
            if (moduleId == null || moduleId.isEmpty() || moduleId.chars().anyMatch(c -> "/?#+".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("module id '" + moduleId + "' is empty or has a '/', '?', '#' or"
                        + " '+'");
            }
            if (rid == null || rid.isEmpty()) {
                throw new IllegalArgumentException("an identity request needs a request id ($rid)");
            }
        }

        @Override
        public String format() {
            return IDENTITIES + "modules/" + method + "/" + moduleId + "/?$rid=" + rid;
        }
    }

    /**
     * The answer to an {@link IdentityRequest}: 200 (registered; the body is the identity without its keys), 204
     * (deleted), 400 (bad request), 403 (not allowed), 404 (no such device or module identity), with
     * {@code {"message": ...}} when refused.
     */
    record IdentityResponse(int status, String rid) implements IotHubTopic {
        @Override
        public String format() {
            return IDENTITIES + "res/" + status + "/?$rid=" + rid;
        }
    }

    /**
     * A gateway's request for its device scope ({@link DeviceScope}): answered with an {@link IdentityResponse}, 200
     * and the scope's JSON, or 403/404 with {@code {"message": ...}}.
     *
     * @param rid the request id, which the answer carries
     */
    record ScopeRequest(String rid) implements IotHubTopic {
        public ScopeRequest {
            if (rid == null || rid.isEmpty()) {
                throw new IllegalArgumentException("a scope request needs a request id ($rid)");
            }
        }

        @Override
        public String format() {
            return IDENTITIES + "scope/GET/?$rid=" + rid;
        }
    }

    /**
     * The gateway's device scope changed (a device below it was created, deleted, disabled, enabled, re-keyed or
     * moved): the gateway asks for it again with a {@link ScopeRequest}.
     *
     * @param version the scope's version now
     */
    record ScopeChanged(long version) implements IotHubTopic {
        @Override
        public String format() {
            return IDENTITIES + "scope/changed/?$version=" + version;
        }
    }

    /**
     * A message for one of a module's inputs.
     *
     * @param properties the property bag, kept in its order (the topic carries it in that order)
     */
    record ModuleInput(String deviceId, String moduleId, String input, Map<String, String> properties)
            implements IotHubTopic {
        public ModuleInput {
            Map.copyOf(properties); // no null keys or values
            properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
        }

        /** @return the filter a module subscribes to for the messages of all its inputs */
        public static String filter(String deviceId, String moduleId) {
            return "devices/" + deviceId + "/modules/" + moduleId + "/inputs/#";
        }

        @Override
        public String format() {
            return "devices/" + deviceId + "/modules/" + moduleId + "/inputs/" + input + "/"
                    + PropertyBag.encode(properties);
        }
    }

    /**
     * @param topic an MQTT topic name
     * @return the twin, method, cloud-to-device, module input or identity topic it is, or empty if it is none of
     *         these
     * @throws IllegalArgumentException saying what is wrong, if it is one of these topics but malformed (no
     *             {@code $rid}, a status or version that is not a number, an identity topic of no known form)
     */
    static Optional<IotHubTopic> parse(String topic) {
        if (topic.startsWith(IDENTITIES)) {
            return Optional.of(identityTopic(topic));
        }
        if (topic.startsWith("devices/")) {
            String[] s = topic.split("/", 5);
            if (s.length >= 4 && s[2].equals("messages") && s[3].equals("devicebound") && !s[1].isEmpty()) {
                return Optional.of(new CloudToDevice(s[1], PropertyBag.decode(s.length == 5 ? s[4] : "")));
            }
            String[] m = topic.split("/", 7);
            if (m.length >= 6 && m[2].equals("modules") && m[4].equals("inputs") && !m[1].isEmpty()
                    && !m[3].isEmpty() && !m[5].isEmpty()) {
                return Optional.of(new ModuleInput(m[1], m[3], m[5], PropertyBag.decode(m.length == 7 ? m[6] : "")));
            }
            return Optional.empty();
        }
        if (!topic.startsWith("$iothub/")) {
            return Optional.empty();
        }
        int q = topic.indexOf("/?");
        String path = q < 0 ? topic : topic.substring(0, q);
        Map<String, String> query = PropertyBag.decode(q < 0 ? "" : topic.substring(q + 2));
        String[] p = path.split("/");
        if (p.length == 3 && p[1].equals("twin") && p[2].equals("GET")) {
            return Optional.of(new TwinGet(rid(query, topic)));
        }
        if (p.length == 5 && p[1].equals("twin") && p[2].equals("PATCH") && p[3].equals("properties")) {
            if (p[4].equals("reported")) {
                return Optional.of(new ReportedPatch(rid(query, topic)));
            }
            if (p[4].equals("desired")) {
                return Optional.of(new DesiredPatch(number(query.get("$version"), "$version", topic)));
            }
        }
        if (p.length == 4 && p[1].equals("twin") && p[2].equals("res")) {
            String v = query.get("$version");
            return Optional.of(new TwinResponse((int) number(p[3], "status", topic), rid(query, topic),
                    v == null ? null : number(v, "$version", topic)));
        }
        if (p.length == 4 && p[1].equals("methods") && p[2].equals("POST") && !p[3].isEmpty()) {
            return Optional.of(new MethodCall(p[3], rid(query, topic)));
        }
        if (p.length == 4 && p[1].equals("methods") && p[2].equals("res")) {
            return Optional.of(new MethodResponse((int) number(p[3], "status", topic), rid(query, topic)));
        }
        return Optional.empty();
    }

    private static IotHubTopic identityTopic(String topic) {
        int q = topic.indexOf("/?");
        Map<String, String> query = PropertyBag.decode(q < 0 ? "" : topic.substring(q + 2));
        String[] p = (q < 0 ? topic : topic.substring(0, q)).substring(IDENTITIES.length()).split("/", -1);
        if (p.length == 3 && p[0].equals("modules") && !p[2].isEmpty()) {
            IdentityRequest.Method method;
            try {
                method = IdentityRequest.Method.valueOf(p[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("topic '" + topic + "': '" + p[1] + "' is not an identity request"
                        + " method (PUT or DELETE)");
            }
            return new IdentityRequest(method, p[2], rid(query, topic));
        }
        if (p.length == 2 && p[0].equals("res")) {
            return new IdentityResponse((int) number(p[1], "status", topic), rid(query, topic));
        }
        if (p.length == 2 && p[0].equals("scope") && p[1].equals("GET")) {
            return new ScopeRequest(rid(query, topic));
        }
        if (p.length == 2 && p[0].equals("scope") && p[1].equals("changed")) {
            return new ScopeChanged(number(query.get("$version"), "$version", topic));
        }
        throw new IllegalArgumentException("topic '" + topic + "' is not an identity request: publish to " + IDENTITIES
                + "modules/PUT/<moduleId>/?$rid=<id>, " + IDENTITIES + "modules/DELETE/<moduleId>/?$rid=<id> or "
                + IDENTITIES + "scope/GET/?$rid=<id>");
    }

    /**
     * @param topic an MQTT topic name
     * @return its {@code $rid}, if it has one (to answer a request whose topic is malformed otherwise)
     */
    static Optional<String> requestId(String topic) {
        int q = topic.indexOf("/?");
        try {
            return Optional.ofNullable(q < 0 ? null : PropertyBag.decode(topic.substring(q + 2)).get("$rid"))
                    .filter(r -> !r.isEmpty());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String rid(Map<String, String> query, String topic) {
        String rid = query.get("$rid");
        if (rid == null || rid.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' has no $rid (request id): add ?$rid=<id>");
        }
        return rid;
    }

    private static long number(String text, String what, String topic) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("topic '" + topic + "': " + what + " '" + text + "' is not a number");
        }
    }
}
