/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An IoT Edge module's {@code createOptions} (the Docker Engine API's container create body) as options of
 * {@code podman run} / {@code docker run}. What a gateway module needs is translated: {@code Env}, {@code Cmd},
 * {@code Entrypoint}, {@code User}, {@code WorkingDir}, {@code Hostname}, {@code Labels} and, in {@code HostConfig},
 * {@code Binds}, {@code PortBindings}, {@code Devices}, {@code Privileged}, {@code NetworkMode} (none: the
 * engine's default network, or the one the gateway chooses), {@code CapAdd}, {@code Memory}, {@code NanoCpus}. {@code ExposedPorts}, {@code HostConfig.RestartPolicy}
 * (the gateway supervises the module) and {@code HostConfig.LogConfig} are not needed; anything else is listed in
 * {@link #ignored()} so that the operator is told.
 *
 * @param runOptions options for {@code run}, before the image; {@code --network} first if {@code NetworkMode} names one
 * @param command the command and arguments after the image (from {@code Cmd} and a long {@code Entrypoint})
 * @param ignored the JSON paths of options that are not translated
 */
public record CreateOptions(List<String> runOptions, List<String> command, List<String> ignored) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_NEEDED = Set.of("ExposedPorts", "HostConfig.RestartPolicy",
            "HostConfig.LogConfig");

    public CreateOptions {
        runOptions = List.copyOf(runOptions);
        command = List.copyOf(command);
        ignored = List.copyOf(ignored);
    }

    /**
     * @param json the createOptions JSON, or null or blank for none
     * @param at the JSON path of createOptions, for errors
     * @return the translated options
     * @throws ManifestException (400) saying which option is malformed and how it should look
     */
    public static CreateOptions parse(String json, String at) throws ManifestException {
        List<String> run = new ArrayList<>();
        List<String> cmd = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        String network = null;
        if (json != null && !json.isBlank()) {
            JsonNode root;
            try {
                root = JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new ManifestException(400, at, "not JSON: " + e.getOriginalMessage());
            }
            if (!root.isObject()) {
                throw new ManifestException(400, at, "must be a JSON object, as in Docker's container create API");
            }
            List<String> entrypoint = List.of();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                String p = at + "." + f.getKey();
                JsonNode v = f.getValue();
                switch (f.getKey()) {
                    case "Env" -> strings(v, p).forEach(e -> {
                        run.add("-e");
                        run.add(e);
                    });
                    case "Cmd" -> cmd.addAll(commandLine(v, p));
                    case "Entrypoint" -> entrypoint = commandLine(v, p);
                    case "User" -> option(run, "--user", text(v, p));
                    case "WorkingDir" -> option(run, "--workdir", text(v, p));
                    case "Hostname" -> option(run, "--hostname", text(v, p));
                    case "Labels" -> {
                        for (Iterator<Map.Entry<String, JsonNode>> ls = object(v, p).fields(); ls.hasNext();) {
                            Map.Entry<String, JsonNode> l = ls.next();
                            option(run, "--label", l.getKey() + "=" + text(l.getValue(), p + "." + l.getKey()));
                        }
                    }
                    case "HostConfig" -> network = hostConfig(object(v, p), p, run, ignored, network);
                    default -> {
                        if (!NOT_NEEDED.contains(f.getKey())) {
                            ignored.add(p);
                        }
                    }
                }
            }
            if (!entrypoint.isEmpty()) {
                option(run, "--entrypoint", entrypoint.get(0));
                cmd.addAll(0, entrypoint.subList(1, entrypoint.size()));
            }
        }
        if (network != null) {
            run.add(0, network);
            run.add(0, "--network");
        }
        return new CreateOptions(run, cmd, ignored);
    }

    private static String hostConfig(JsonNode hc, String at, List<String> run, List<String> ignored, String network)
            throws ManifestException {
        String net = network;
        for (Iterator<Map.Entry<String, JsonNode>> it = hc.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            String p = at + "." + f.getKey();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "Binds" -> {
                    for (String b : strings(v, p)) {
                        if (!b.contains(":")) {
                            throw new ManifestException(400, p, "'" + b + "' is not a bind: use"
                                    + " \"/host/path:/container/path[:ro]\"");
                        }
                        option(run, "-v", b);
                    }
                }
                case "PortBindings" -> {
                    for (Iterator<Map.Entry<String, JsonNode>> ps = object(v, p).fields(); ps.hasNext();) {
                        Map.Entry<String, JsonNode> port = ps.next();
                        String pp = p + "." + port.getKey();
                        if (!port.getKey().matches("\\d{1,5}(/(tcp|udp|sctp))?")) {
                            throw new ManifestException(400, pp, "a container port is like \"80/tcp\"");
                        }
                        if (!port.getValue().isArray()) {
                            throw new ManifestException(400, pp, "must be a list: [{\"HostPort\": \"8080\"}]");
                        }
                        for (JsonNode binding : port.getValue()) {
                            String hostPort = text(object(binding, pp).path("HostPort"), pp + ".HostPort");
                            String hostIp = binding.path("HostIp").asText("");
                            option(run, "-p", (hostIp.isEmpty() ? "" : hostIp + ":") + hostPort + ":"
                                    + port.getKey());
                        }
                    }
                }
                case "Devices" -> {
                    if (!v.isArray()) {
                        throw new ManifestException(400, p, "must be a list of {\"PathOnHost\": ...,"
                                + " \"PathInContainer\": ..., \"CgroupPermissions\": \"rwm\"}");
                    }
                    for (int i = 0; i < v.size(); i++) {
                        JsonNode d = object(v.get(i), p + "[" + i + "]");
                        String host = text(d.path("PathOnHost"), p + "[" + i + "].PathOnHost");
                        String inside = d.path("PathInContainer").asText(host);
                        String perms = d.path("CgroupPermissions").asText("");
                        option(run, "--device", host + ":" + inside + (perms.isEmpty() ? "" : ":" + perms));
                    }
                }
                case "Privileged" -> {
                    // IoT Edge's agent (Json.NET) also takes "true" and "false" as strings, and manifests use them.
                    boolean textual = v.isTextual() && v.textValue().matches("(?i)true|false");
                    if (!v.isBoolean() && !textual) {
                        throw new ManifestException(400, p, "must be true or false");
                    }
                    if (textual ? Boolean.parseBoolean(v.textValue()) : v.booleanValue()) {
                        run.add("--privileged");
                    }
                }
                case "NetworkMode" -> net = text(v, p);
                case "CapAdd" -> strings(v, p).forEach(c -> option(run, "--cap-add", c));
                case "Memory" -> option(run, "--memory", Long.toString(positive(v, p)) + "b");
                case "NanoCpus" -> option(run, "--cpus", Double.toString(positive(v, p) / 1e9));
                default -> {
                    if (!NOT_NEEDED.contains("HostConfig." + f.getKey())) {
                        ignored.add(p);
                    }
                }
            }
        }
        return net;
    }

    private static void option(List<String> run, String name, String value) {
        run.add(name);
        run.add(value);
    }

    private static JsonNode object(JsonNode v, String at) throws ManifestException {
        if (!v.isObject()) {
            throw new ManifestException(400, at, "must be a JSON object");
        }
        return v;
    }

    private static String text(JsonNode v, String at) throws ManifestException {
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new ManifestException(400, at, "must be a non-empty string");
        }
        return v.textValue();
    }

    private static long positive(JsonNode v, String at) throws ManifestException {
        if (!v.isIntegralNumber() || v.longValue() <= 0) {
            throw new ManifestException(400, at, "must be a whole number above 0");
        }
        return v.longValue();
    }

    private static List<String> strings(JsonNode v, String at) throws ManifestException {
        if (!v.isArray()) {
            throw new ManifestException(400, at, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(text(v.get(i), at + "[" + i + "]"));
        }
        return out;
    }

    /** A command is a list of strings, or one string that Docker would run as {@code /bin/sh -c}. */
    private static List<String> commandLine(JsonNode v, String at) throws ManifestException {
        if (v.isTextual()) {
            return List.of("/bin/sh", "-c", v.textValue());
        }
        return strings(v, at);
    }
}
