/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.lanes;

import org.junit.runner.RunWith;
import org.junit.runners.Suite;
import org.outpost.itests.ContainerIT;
import org.outpost.itests.DeploymentIT;
import org.outpost.itests.FeatureDeploymentIT;
import org.outpost.itests.HealthIT;
import org.outpost.itests.HotDeployIT;
import org.outpost.itests.HubIT;
import org.outpost.itests.IotEdgeModuleIT;
import org.outpost.itests.IotHubSdkIT;
import org.outpost.itests.ModuleInputIT;
import org.outpost.itests.ModuleLifecycleIT;
import org.outpost.itests.ModuleResourcesIT;
import org.outpost.itests.RoutingIT;
import org.outpost.itests.StoreAndForwardIT;
import org.outpost.itests.TelemetryIT;
import org.outpost.itests.gateways.LeafDeviceIT;
import org.outpost.itests.gateways.NestedGatewaysIT;

/**
 * The integration tests that must not overlap one another, run one after the other while {@link ParallelLane} runs
 * beside them: the Pax Exam tests (Pax Exam's reactor is one per JVM) and those whose Azure SDK clients need IoT
 * Edge's fixed ports 8883 and 443 (the SDK has no setting for them). Every other process a test starts takes free
 * ports ({@code GatewayProcess}), so the two lanes never meet. {@link LanesTest} checks that every {@code *IT} is in
 * exactly one lane.
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({
    // The Azure SDK's fixed ports first: the longest, so the other lane's tests fill the time beside them.
    LeafDeviceIT.class,
    IotEdgeModuleIT.class,
    NestedGatewaysIT.class,
    IotHubSdkIT.class,
    // Pax Exam.
    ContainerIT.class,
    DeploymentIT.class,
    FeatureDeploymentIT.class,
    HealthIT.class,
    HotDeployIT.class,
    HubIT.class,
    ModuleInputIT.class,
    ModuleLifecycleIT.class,
    ModuleResourcesIT.class,
    RoutingIT.class,
    StoreAndForwardIT.class,
    TelemetryIT.class,
})
public class SerialLane {
}
