/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Reads an IoT Edge deployment manifest ({@code {"modulesContent": {"$edgeAgent": ..., "$edgeHub": ..., "<module>":
 * ...}}}) and checks everything that can be checked without touching the gateway: the shape, module types and their
 * settings, names, policies and locations. Layered sections ({@code "properties.desired.modules.x": {...}}) are merged
 * over the base first. The routes are checked by the router, feature resolution by Karaf.
 *
 * <pre>{@code
 * DeploymentManifest m = new ManifestParser(policy).parse(json);   // or ManifestException: 400 path: reason
 * }</pre>
 */
public final class ManifestParser {

    static final String AGENT = "modulesContent.$edgeAgent.properties.desired";
    private static final Set<String> SCHEMAS = Set.of("1.0", "1.1", "1.2", "1.3");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocationPolicy locations;
    private final ModuleParser moduleParser;

    public ManifestParser(LocationPolicy locations) {
        this.locations = locations;
        this.moduleParser = new ModuleParser(locations);
    }

    /**
     * @param json the manifest
     * @return the checked manifest
     * @throws ManifestException with the status code, JSON path and reason of the first problem found
     */
    public DeploymentManifest parse(String json) throws ManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ManifestException(400, "", "not JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ManifestException(400, "", "a manifest is a JSON object with \"modulesContent\"");
        }
        JsonNode content = root.get("modulesContent");
        if (content == null || !content.isObject()) {
            throw new ManifestException(400, "modulesContent", "missing: a manifest is {\"modulesContent\":"
                    + " {\"$edgeAgent\": {\"properties.desired\": ...}, \"$edgeHub\": ...}}");
        }
        ObjectNode agentSection = section(content, "$edgeAgent");
        if (agentSection == null) {
            throw new ManifestException(400, "modulesContent.$edgeAgent", "missing: it holds the modules");
        }
        JsonNode agent = agentSection.get("properties.desired");
        if (agent == null || !agent.isObject()) {
            throw new ManifestException(400, "modulesContent.$edgeAgent.properties.desired", "missing or not an object");
        }
        String schema = ModuleParser.text(agent, "schemaVersion", AGENT);
        if (schema == null) {
            throw new ManifestException(400, AGENT + ".schemaVersion", "missing (use \"1.1\")");
        }
        if (!SCHEMAS.contains(schema)) {
            throw new ManifestException(412, AGENT + ".schemaVersion", "schema version '" + schema
                    + "' is not supported (use one of " + String.join(", ", SCHEMAS.stream().sorted().toList()) + ")");
        }
        List<String> repositories = repositories(agent);
        List<String> warnings = new ArrayList<>();
        Map<String, RegistryCredential> credentials = RegistryCredentials.parse(agent.path("runtime")
                .path("settings").get("registryCredentials"), AGENT + ".runtime.settings.registryCredentials");
        ignoredByOutpost(agent, warnings);
        JsonNode modulesNode = agent.get("modules");
        if (modulesNode != null && !modulesNode.isObject()) {
            throw new ManifestException(400, AGENT + ".modules", "must be an object of named modules");
        }
        JsonNode system = agent.get("systemModules");
        if ((modulesNode == null || modulesNode.isEmpty()) && (system == null || system.isEmpty())) {
            throw new ManifestException(417, AGENT + ".modules", "the deployment is empty: it names no module");
        }
        List<ModuleSpec> modules = new ArrayList<>();
        if (modulesNode != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = modulesNode.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                modules.add(moduleParser.parse(e.getKey(), e.getValue(), AGENT + ".modules." + e.getKey(),
                        repositories, warnings));
            }
        }
        modules.sort(Comparator.comparingInt(ModuleSpec::startupOrder).thenComparing(ModuleSpec::name));
        Map<String, ModuleSpec> byName = new LinkedHashMap<>();
        modules.forEach(m -> byName.put(m.name(), m));

        ObjectNode hubSection = section(content, "$edgeHub");
        String edgeHub = null;
        if (hubSection != null) {
            JsonNode hub = hubSection.get("properties.desired");
            if (hub == null || !hub.isObject()) {
                throw new ManifestException(400, "modulesContent.$edgeHub.properties.desired", "missing or not an"
                        + " object");
            }
            edgeHub = hub.toString();
        }
        Map<String, String> twins = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("$")) {
                continue;
            }
            String at = "modulesContent." + e.getKey();
            if (!byName.containsKey(e.getKey())) {
                throw new ManifestException(400, at, "desired properties for a module the deployment does not name"
                        + " (modules: " + String.join(", ", byName.keySet()) + ")");
            }
            JsonNode desired = e.getValue().get("properties.desired");
            if (desired == null || !desired.isObject()) {
                throw new ManifestException(400, at + ".properties.desired", "missing or not an object");
            }
            twins.put(e.getKey(), desired.toString());
        }
        return new DeploymentManifest(schema, repositories, byName, edgeHub, twins, credentials, warnings);
    }

    /** Adds what {@code $edgeAgent} asks for beside the modules that the gateway does not do. */
    private static void ignoredByOutpost(JsonNode agent, List<String> warnings) {
        JsonNode system = agent.get("systemModules");
        if (system != null && system.isObject() && !system.isEmpty()) {
            warnings.add(AGENT + ".systemModules: the gateway is its own edgeAgent and edgeHub; the images, env and"
                    + " createOptions given for " + String.join(" and ", iterable(system.fieldNames()))
                    + " are not run");
        }
        JsonNode logging = agent.path("runtime").path("settings").path("loggingOptions");
        if (logging.isTextual() && !logging.textValue().isBlank() || logging.isObject() && !logging.isEmpty()) {
            warnings.add(AGENT + ".runtime.settings.loggingOptions: not honoured; container modules' output goes to"
                    + " their logs under the gateway's data folder (edge:logs)");
        }
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    /** @return a section of modulesContent with its layered "properties.desired.x.y" keys merged in, or null */
    private static ObjectNode section(JsonNode content, String name) throws ManifestException {
        JsonNode node = content.get(name);
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            throw new ManifestException(400, "modulesContent." + name, "must be an object");
        }
        ObjectNode merged = ((ObjectNode) node).deepCopy();
        List<String> layered = new ArrayList<>();
        merged.fieldNames().forEachRemaining(f -> {
            if (f.startsWith("properties.desired.")) {
                layered.add(f);
            }
        });
        for (String key : layered) {
            JsonNode value = merged.remove(key);
            ObjectNode target = merged.has("properties.desired") && merged.get("properties.desired").isObject()
                    ? (ObjectNode) merged.get("properties.desired") : merged.putObject("properties.desired");
            String[] steps = key.substring("properties.desired.".length()).split("\\.", -1);
            if (java.util.Arrays.stream(steps).anyMatch(String::isEmpty)) {
                // Found by ManifestFuzzTest: "properties.desired..." had no name to set and threw.
                throw new ManifestException(400, "modulesContent." + name + "." + key, "a layered deployment's"
                        + " property path has an empty name (two dots, or a dot at the end)");
            }
            for (int i = 0; i < steps.length - 1; i++) {
                JsonNode next = target.get(steps[i]);
                if (next != null && !next.isObject()) {
                    throw new ManifestException(400, "modulesContent." + name + "." + key, "layers over '" + steps[i]
                            + "', which is not an object");
                }
                target = next == null ? target.putObject(steps[i]) : (ObjectNode) next;
            }
            target.set(steps[steps.length - 1], value);
        }
        return merged;
    }

    private List<String> repositories(JsonNode agent) throws ManifestException {
        JsonNode repos = agent.path("runtime").path("settings").path("featureRepositories");
        List<String> out = new ArrayList<>();
        if (repos.isMissingNode() || repos.isNull()) {
            return out;
        }
        String at = AGENT + ".runtime.settings.featureRepositories";
        if (!repos.isArray()) {
            throw new ManifestException(400, at, "must be an array of repository URLs");
        }
        for (int i = 0; i < repos.size(); i++) {
            if (!repos.get(i).isTextual()) {
                throw new ManifestException(400, at + "[" + i + "]", "must be a repository URL");
            }
            String url = repos.get(i).textValue();
            String why = locations.check(url).orElse(null);
            if (why != null) {
                throw new ManifestException(400, at + "[" + i + "]", why);
            }
            out.add(url);
        }
        return out;
    }

}
