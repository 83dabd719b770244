/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.outpost.api.module.ModuleNames;

/**
 * Reads one module of a manifest's {@code $edgeAgent} ({@code "modules": {"<name>": {...}}}): its type, status,
 * restart policy, startup order, env and the settings its type needs, each checked with the JSON path of what is
 * wrong. {@link ManifestParser} reads the manifest around it.
 */
final class ModuleParser {

    private static final String AGENT = ManifestParser.AGENT;
    /** The fields of a module IoT Edge defines; others are reported and ignored. */
    private static final Set<String> FIELDS = Set.of("type", "version", "status", "restartPolicy", "startupOrder",
            "env", "settings", "imagePullPolicy");
    /** An OCI digest of a registered algorithm: sha256 (64 hex digits) or sha512 (128), lower case. */
    private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile(
            "sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");

    private final LocationPolicy locations;

    ModuleParser(LocationPolicy locations) {
        this.locations = locations;
    }

    /**
     * @param warnings gets what the module asks for that is not honoured (and ignored), with its JSON path
     */
    ModuleSpec parse(String name, JsonNode m, String at, List<String> repositories, List<String> warnings)
            throws ManifestException {
        if (!ModuleNames.isValid(name)) {
            throw new ManifestException(400, at, "a module name is 1 to 64 letters, digits, '-' or '_'");
        }
        if (!m.isObject()) {
            throw new ManifestException(400, at, "a module is an object with \"type\" and \"settings\"");
        }
        String declared = text(m, "type", at);
        if (declared == null) {
            throw new ManifestException(400, at + ".type", "missing (bundle, feature, container, docker or camel)");
        }
        ModuleType type = switch (declared) {
            case "bundle" -> ModuleType.BUNDLE;
            case "feature" -> ModuleType.FEATURE;
            case "container", "docker" -> ModuleType.CONTAINER;
            case "camel" -> ModuleType.CAMEL;
            default -> throw new ManifestException(400, at + ".type", "unknown module type '" + declared
                    + "' (use bundle, feature, container, docker or camel)");
        };
        for (Iterator<String> it = m.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                warnings.add(at + "." + field + ": not a module field Outpost knows; ignored");
            }
        }
        String pullPolicy = text(m, "imagePullPolicy", at);
        if ("never".equals(pullPolicy)) {
            warnings.add(at + ".imagePullPolicy: 'never' is not honoured; Outpost pulls a module's image when it"
                    + " installs the module (on-create)");
        } else if (pullPolicy != null && !pullPolicy.equals("on-create")) {
            throw new ManifestException(400, at + ".imagePullPolicy", "'" + pullPolicy + "' is not an image pull"
                    + " policy (on-create or never)");
        }
        String version = text(m, "version", at);
        String statusText = text(m, "status", at);
        DesiredStatus status;
        if (statusText == null || statusText.equals("running")) {
            status = DesiredStatus.RUNNING;
        } else if (statusText.equals("stopped")) {
            status = DesiredStatus.STOPPED;
        } else {
            throw new ManifestException(400, at + ".status", "'" + statusText + "' is not a status (running or"
                    + " stopped)");
        }
        String policyText = text(m, "restartPolicy", at);
        RestartPolicy policy = policyText == null ? RestartPolicy.ALWAYS : RestartPolicy.of(policyText);
        if (policy == null) {
            throw new ManifestException(400, at + ".restartPolicy", "'" + policyText + "' is not a restart policy"
                    + " (never, on-failure, on-unhealthy or always)");
        }
        int order = Integer.MAX_VALUE;
        JsonNode orderNode = m.get("startupOrder");
        if (orderNode != null && !orderNode.isNull()) {
            if (!orderNode.canConvertToInt() || !orderNode.isIntegralNumber() || orderNode.intValue() < 0) {
                throw new ManifestException(400, at + ".startupOrder", "must be a whole number, 0 or more (0 starts"
                        + " first)");
            }
            order = orderNode.intValue();
        }
        Map<String, String> env = env(m.get("env"), at + ".env");
        JsonNode settings = m.get("settings");
        if (settings == null || !settings.isObject()) {
            throw new ManifestException(400, at + ".settings", "missing: " + settingsHint(type));
        }
        String s = at + ".settings";
        String location = null;
        String feature = null;
        String featureVersion = null;
        List<String> command = List.of();
        String image = null;
        String createOptions = null;
        HealthProbe health = null;
        CamelRoutes camel = null;
        switch (type) {
            case BUNDLE -> {
                location = text(settings, "location", s);
                if (location == null) {
                    throw new ManifestException(400, s + ".location", "missing: " + settingsHint(type));
                }
                String why = locations.check(location).orElse(null);
                if (why != null) {
                    throw new ManifestException(400, s + ".location", why);
                }
            }
            case FEATURE -> {
                feature = text(settings, "feature", s);
                if (feature == null || feature.isBlank()) {
                    throw new ManifestException(400, s + ".feature", "missing: " + settingsHint(type));
                }
                featureVersion = text(settings, "featureVersion", s);
                if (repositories.isEmpty()) {
                    throw new ManifestException(400, AGENT + ".runtime.settings.featureRepositories", "module '" + name
                            + "' is a feature, so the deployment needs the feature repository that holds it");
                }
            }
            case CONTAINER -> {
                command = command(settings.get("command"), s + ".command");
                image = text(settings, "image", s);
                JsonNode options = settings.get("createOptions");
                if (options != null && !options.isNull()) {
                    createOptions = options.isTextual() ? options.textValue() : options.toString();
                    // IoT Edge splits long options into createOptions01, createOptions02, ... strings.
                    for (int i = 1; i < 100 && options.isTextual(); i++) {
                        JsonNode more = settings.get(String.format("createOptions%02d", i));
                        if (more == null) {
                            break;
                        }
                        if (!more.isTextual()) {
                            throw new ManifestException(400, s + String.format(".createOptions%02d", i),
                                    "must be a string: the next part of createOptions");
                        }
                        createOptions += more.textValue();
                    }
                    CreateOptions.parse(createOptions, s + ".createOptions").ignored().forEach(o -> warnings.add(o
                            + ": not translated for the container engine; ignored"));
                }
                if (image != null) {
                    checkImage(image, s + ".image");
                }
                if (command.isEmpty() && (image == null || image.isBlank())) {
                    throw new ManifestException(400, s, "missing: " + settingsHint(type));
                }
                health = healthProbe(settings.get("healthCheck"), s + ".healthCheck");
            }
            case CAMEL -> camel = CamelSettings.parse(settings, s, locations, settingsHint(type));
            default -> throw new IllegalStateException(type.toString());
        }
        String pid = text(settings, "pid", s);
        if (pid != null && !pid.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new ManifestException(400, s + ".pid", "a configuration PID is 1 to 128 letters, digits, '.', '-'"
                    + " or '_'");
        }
        return new ModuleSpec(name, type, declared, version == null ? "" : version, status, policy, order, env,
                location, feature, featureVersion, command, image, createOptions,
                pid == null ? "org.outpost.module." + name : pid, health, camel);
    }

    /**
     * An image reference reaches the container engine as it is: with a tag, or pinned by a digest
     * ({@code repo/image@sha256:<64 hex digits>}), which is checked here; nothing that the engine would read as an
     * option.
     */
    private static void checkImage(String image, String at) throws ManifestException {
        if (image.isBlank() || image.startsWith("-") || image.chars().anyMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c))) {
            throw new ManifestException(400, at, "'" + image + "' is not an image reference: use"
                    + " registry/image:tag or registry/image@sha256:<64 hex digits>");
        }
        int at2 = image.indexOf('@');
        if (at2 >= 0) {
            String digest = image.substring(at2 + 1);
            if (at2 == 0 || !DIGEST.matcher(digest).matches()) {
                throw new ManifestException(400, at, "'" + digest + "' is not an image digest: use"
                        + " registry/image@sha256:<64 lower-case hex digits> (or sha512:<128>)");
            }
        }
    }

    private static HealthProbe healthProbe(JsonNode node, String at) throws ManifestException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new ManifestException(400, at, "a health check is {\"command\": [\"/path/to/check\"],"
                    + " \"intervalSeconds\": 10, \"timeoutSeconds\": 5, \"retries\": 3}");
        }
        List<String> command = command(node.get("command"), at + ".command");
        if (command.isEmpty()) {
            throw new ManifestException(400, at + ".command", "missing: the command that exits 0 when the module is"
                    + " healthy");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!Set.of("command", "intervalSeconds", "timeoutSeconds", "retries").contains(field)) {
                throw new ManifestException(400, at + "." + field, "unknown field (use command, intervalSeconds,"
                        + " timeoutSeconds, retries)");
            }
        }
        return new HealthProbe(command, whole(node, "intervalSeconds", at, 0, 0, 86_400),
                whole(node, "timeoutSeconds", at, 5, 1, 300), whole(node, "retries", at, 1, 1, 100));
    }

    private static int whole(JsonNode node, String field, String at, int absent, int min, int max)
            throws ManifestException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            throw new ManifestException(400, at + "." + field, "must be a whole number from " + min + " to " + max);
        }
        return v.intValue();
    }

    private static String settingsHint(ModuleType type) {
        return switch (type) {
            case BUNDLE -> "a bundle module needs {\"location\": \"mvn:group/artifact/version\"}";
            case FEATURE -> "a feature module needs {\"feature\": \"name\", \"featureVersion\": \"1.0.0\"}";
            case CONTAINER -> "a container module needs {\"command\": [\"/path/to/program\", \"arg\"]} or"
                    + " {\"image\": \"registry/image:tag\", \"createOptions\": \"{...}\"}";
            case CAMEL -> "a camel module needs {\"routes\": \"file:/path/to/x.camel.yaml\"} (a location or a list of"
                    + " them) or {\"inline\": \"- route: ...\", \"format\": \"yaml\"}";
        };
    }

    private static Map<String, String> env(JsonNode env, String at) throws ManifestException {
        Map<String, String> out = new TreeMap<>();
        if (env == null || env.isNull()) {
            return out;
        }
        if (!env.isObject()) {
            throw new ManifestException(400, at, "must be an object: {\"NAME\": {\"value\": \"...\"}}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue().get("value");
            if (!e.getValue().isObject() || value == null || value.isContainerNode()) {
                throw new ManifestException(400, at + "." + e.getKey(), "an environment variable is {\"value\":"
                        + " \"...\"}");
            }
            // As the container engines: any name but an empty one or one with '=' or NUL (.NET's
            // "Logging:LogLevel:Default" is a common one).
            if (e.getKey().isEmpty() || e.getKey().indexOf('=') >= 0 || e.getKey().indexOf('\0') >= 0) {
                throw new ManifestException(400, at + "." + e.getKey(), "not a variable name (any name but an"
                        + " empty one or one with '=' or NUL)");
            }
            out.put(e.getKey(), value.asText());
        }
        return out;
    }

    private static List<String> command(JsonNode command, String at) throws ManifestException {
        if (command == null || command.isNull()) {
            return List.of();
        }
        if (command.isTextual()) {
            return command.textValue().isBlank() ? List.of() : List.of(command.textValue().strip().split("\\s+"));
        }
        if (!command.isArray()) {
            throw new ManifestException(400, at, "a command is an array of strings: [\"/path/to/program\", \"arg\"]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            if (!command.get(i).isTextual()) {
                throw new ManifestException(400, at + "[" + i + "]", "must be a string");
            }
            out.add(command.get(i).textValue());
        }
        return out;
    }

    static String text(JsonNode node, String field, String at) throws ManifestException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ManifestException(400, at + "." + field, "must be a string");
        }
        return v.textValue();
    }
}
