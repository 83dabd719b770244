/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.outpost.hub.api.DeploymentStatus;
import org.outpost.hub.api.ReportedModule;
import org.outpost.hub.deployments.HubDeployment;
import org.outpost.protocol.TwinDocument;

/**
 * The status of deployments, from what the fleet holds: the devices a deployment targets (its condition over their
 * twins), those it was applied to ({@link DeploymentRepository}), and of those, what each device reports in its
 * {@code $edgeAgent} twin (succeeded, failed with the reason, or pending until it reports the desired version).
 */
final class DeploymentStatusView {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "$edgeAgent";

    /** The fleet as the status sees it, read in three queries. */
    private record Fleet(Map<String, ObjectNode> documents, Map<String, DeploymentRepository.Applied> applied,
            Map<String, TwinDocument> agents) {
    }

    private final DeploymentRepository repository;
    private final TwinStore twins;

    DeploymentStatusView(DeploymentRepository repository, TwinStore twins) {
        this.repository = repository;
        this.twins = twins;
    }

    /** @return the status of each deployment, highest priority first (then by id), from one reading of the fleet */
    List<DeploymentStatus> statuses(Collection<HubDeployment> deployments) {
        List<HubDeployment> all = new ArrayList<>(deployments);
        all.sort(Comparator.comparingInt(HubDeployment::priority).reversed().thenComparing(HubDeployment::id));
        Fleet fleet = fleet();
        return all.stream().map(d -> status(d, fleet)).toList();
    }

    /** @return the status of one deployment */
    DeploymentStatus status(HubDeployment d) {
        return status(d, fleet());
    }

    private Fleet fleet() {
        return new Fleet(twins.conditionDocuments(), repository.allApplied(), twins.twins(AGENT));
    }

    private static DeploymentStatus status(HubDeployment d, Fleet fleet) {
        List<String> targeted = new ArrayList<>();
        List<String> appliedTo = new ArrayList<>();
        List<String> succeeded = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> device : fleet.documents().entrySet()) {
            String id = device.getKey();
            if (d.targetCondition().test(device.getValue())) {
                targeted.add(id);
            }
            DeploymentRepository.Applied a = fleet.applied().get(id);
            if (a == null || !(a.effective().base().equals(Optional.of(d.id())) || a.effective().layers()
                    .contains(d.id()))) {
                continue;
            }
            appliedTo.add(id);
            if (a.error() != null) {
                failed.put(id, a.error());
                continue;
            }
            String outcome = outcome(fleet.agents().getOrDefault(id, TwinDocument.empty()));
            if (outcome == null) {
                pending.add(id);
            } else if (outcome.isEmpty()) {
                succeeded.add(id);
            } else {
                failed.put(id, outcome);
            }
        }
        return new DeploymentStatus(d, targeted, appliedTo, succeeded, failed, pending);
    }

    /**
     * @return null while the device has not reported the desired version of {@code $edgeAgent}, "" when it reports it
     *         with 200 and no module failing, else the reason it failed
     */
    static String outcome(TwinDocument agent) {
        JsonNode reported;
        try {
            reported = JSON.readTree(agent.reported());
        } catch (IOException e) {
            return "its $edgeAgent reported properties are not JSON";
        }
        if (reported.path("lastDesiredVersion").asLong(-1) != agent.desiredVersion()) {
            return null;
        }
        JsonNode status = reported.path("lastDesiredStatus");
        int code = status.path("code").asInt(0);
        if (code != 200) {
            String description = status.path("description").asText("");
            // Gateways may start the description with the code already (Outpost's does).
            return description.startsWith(code + " ") ? description : (code + " " + description).strip();
        }
        List<String> failing = new ArrayList<>();
        for (ReportedModule m : ReportedModule.of(reported)) {
            if (m.failing()) {
                failing.add("module " + m.moduleId() + " is " + m.runtimeStatus() + (m.statusDescription().isEmpty()
                        ? "" : ": " + m.statusDescription()));
            }
        }
        return String.join("; ", failing);
    }
}
