/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.time.Instant;

import org.outpost.hub.deployments.HubDeployment;

/** Deployment documents for the tests. */
final class TestDeployments {

    private TestDeployments() {
    }

    /** @return a base deployment of one bundle module */
    static String base(String id, int priority, String target, String module) {
        return "{\"id\": \"" + id + "\", \"priority\": " + priority + ", \"targetCondition\": \"" + target + "\","
                + " \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired\": {\"schemaVersion\":"
                + " \"1.1\", \"modules\": {\"" + module + "\": {\"type\": \"bundle\", \"settings\": {\"location\":"
                + " \"mvn:org.example/" + module + "/1.0\"}}}}}, \"$edgeHub\": {\"properties.desired\":"
                + " {\"schemaVersion\": \"1.1\", \"routes\": {}}}}}}";
    }

    /** @return a layered deployment adding a container module and its own module twin's desired properties */
    static String layer(String id, int priority, String target, String module, String moduleDesired) {
        return "{\"id\": \"" + id + "\", \"layered\": true, \"priority\": " + priority + ", \"targetCondition\": \""
                + target + "\", \"content\": {\"modulesContent\": {\"$edgeAgent\": {\"properties.desired.modules."
                + module + "\": {\"type\": \"container\", \"settings\": {\"command\": \"sleep 1000\"}}}, \"" + module
                + "\": {\"properties.desired\": " + moduleDesired + "}}}}";
    }

    static HubDeployment parse(String json) {
        return HubDeployment.parse(json, Instant.now());
    }
}
