/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.deployments;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.hub.query.Condition;
import org.outpost.hub.query.ConditionException;

/**
 * A deployment at the hub, as IoT Hub's: {@code {"id", "priority", "targetCondition", "labels", "layered", "content":
 * {"modulesContent": {...}}}}. A base deployment carries whole {@code $edgeAgent} and {@code $edgeHub} sections; a
 * layered one carries sections (or dotted paths, {@code "properties.desired.modules.x"}) merged over the base.
 *
 * @param id lower-case letters, digits and {@code -}, at most 128
 * @param priority 0 or more; the highest wins among base deployments
 * @param targetCondition which devices it targets
 * @param labels free-form labels
 * @param layered whether it is layered over a base deployment
 * @param modulesContent its content
 * @param createdTimeUtc when it was created: among base deployments of one priority, the newest wins
 */
public record HubDeployment(String id, int priority, Condition targetCondition, Map<String, String> labels,
        boolean layered, ObjectNode modulesContent, Instant createdTimeUtc) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,127}");
    /** A deployment's content is at most this big, as IoT Hub's configurations (512 KB). */
    static final int MAX_CONTENT_BYTES = 512 * 1024;

    public HubDeployment {
        labels = Map.copyOf(labels);
        modulesContent = modulesContent.deepCopy();
    }

    @Override
    public ObjectNode modulesContent() {
        return modulesContent.deepCopy();
    }

    /**
     * @param json a deployment object
     * @param created its creation time (kept from the first version when it is updated)
     * @return it, checked
     * @throws DeploymentException naming the JSON path of the first problem and what is expected there
     */
    public static HubDeployment parse(String json, Instant created) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DeploymentException("$", "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DeploymentException("$", "a deployment is a JSON object {\"id\", \"priority\","
                    + " \"targetCondition\", \"content\": {\"modulesContent\": ...}}");
        }
        String id = root.path("id").asText("");
        if (!ID.matcher(id).matches()) {
            throw new DeploymentException("id", "'" + id + "' is not a deployment id: 1 to 128 lower-case letters,"
                    + " digits and '-', starting with a letter or digit");
        }
        JsonNode p = root.path("priority");
        if (!p.isMissingNode() && (!p.canConvertToInt() || !p.isIntegralNumber() || p.intValue() < 0)) {
            throw new DeploymentException("priority", "must be a whole number, 0 or more (the highest wins)");
        }
        Condition target;
        try {
            target = Condition.parse(root.path("targetCondition").asText(""));
        } catch (ConditionException e) {
            throw new DeploymentException("targetCondition", e.getMessage());
        }
        Map<String, String> labels = new TreeMap<>();
        JsonNode l = root.path("labels");
        if (!l.isMissingNode() && !l.isObject()) {
            throw new DeploymentException("labels", "must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new DeploymentException("labels." + e.getKey(), "must be a string");
            }
            labels.put(e.getKey(), e.getValue().textValue());
        }
        boolean layered = root.path("layered").asBoolean(false);
        JsonNode content = root.path("content").path("modulesContent");
        if (!content.isObject() || content.isEmpty()) {
            throw new DeploymentException("content.modulesContent", "missing or empty: give {\"$edgeAgent\":"
                    + " {\"properties.desired\": ...}, \"$edgeHub\": ...}");
        }
        int size = content.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > MAX_CONTENT_BYTES) {
            throw new DeploymentException("content.modulesContent", size + " bytes; at most " + MAX_CONTENT_BYTES);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = content.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "content.modulesContent." + e.getKey();
            if (!e.getValue().isObject()) {
                throw new DeploymentException(at, "must be an object of \"properties.desired\" sections");
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = e.getValue().fields(); f.hasNext();) {
                Map.Entry<String, JsonNode> section = f.next();
                String key = section.getKey();
                if (!key.equals("properties.desired") && !(layered && key.startsWith("properties.desired."))) {
                    throw new DeploymentException(at + "." + key, layered ? "expected \"properties.desired\" or a"
                            + " path under it, such as \"properties.desired.modules.x\"" : "expected"
                                    + " \"properties.desired\" (dotted paths are for layered deployments)");
                }
                if (key.equals("properties.desired") && !section.getValue().isObject()) {
                    throw new DeploymentException(at + "." + key, "must be an object");
                }
            }
        }
        if (!layered) {
            for (String system : new String[] {"$edgeAgent", "$edgeHub"}) {
                if (!content.path(system).path("properties.desired").isObject()) {
                    throw new DeploymentException("content.modulesContent." + system, "a base deployment needs"
                            + " the whole " + system + " section (\"properties.desired\"); for additions, make it"
                            + " layered");
                }
            }
        }
        ContentCheck.check((ObjectNode) content, layered);
        return new HubDeployment(id, p.isMissingNode() ? 0 : p.intValue(), target, labels, layered,
                (ObjectNode) content, created);
    }
}
