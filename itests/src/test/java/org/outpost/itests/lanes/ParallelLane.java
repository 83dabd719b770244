/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.lanes;

import org.junit.runner.RunWith;
import org.junit.runners.Suite;
import org.outpost.itests.BandwidthIT;
import org.outpost.itests.ChecksIT;
import org.outpost.itests.CloudDeploymentIT;
import org.outpost.itests.CrashIT;
import org.outpost.itests.DashboardIT;
import org.outpost.itests.DeploymentRestartIT;
import org.outpost.itests.EdgeAnalyticsIT;
import org.outpost.itests.FleetIT;
import org.outpost.itests.FleetScaleIT;
import org.outpost.itests.HubClusterIT;
import org.outpost.itests.HubEndpointsIT;
import org.outpost.itests.HubMetricsIT;
import org.outpost.itests.HubRoutingIT;
import org.outpost.itests.MetricsEndpointIT;
import org.outpost.itests.ModbusAdapterIT;
import org.outpost.itests.ModuleTwinIT;
import org.outpost.itests.OpcUaAdapterIT;
import org.outpost.itests.RouteModulesIT;
import org.outpost.itests.ScriptedShellIT;
import org.outpost.itests.StartStopIT;
import org.outpost.itests.SupportBundleIT;
import org.outpost.itests.gateways.GatewayChildrenSecurityIT;
import org.outpost.itests.security.GatewaySecurityIT;
import org.outpost.itests.security.HubDatabaseOutageIT;
import org.outpost.itests.security.HubSecurityIT;

/**
 * The integration tests that run beside {@link SerialLane}, one after the other: each starts its own gateway and hub
 * processes on free ports ({@code GatewayProcess}), so nothing they do meets the other lane's tests.
 */
@RunWith(Suite.class)
@Suite.SuiteClasses({
    FleetIT.class,
    ModuleTwinIT.class,
    CloudDeploymentIT.class,
    HubClusterIT.class,
    GatewayChildrenSecurityIT.class,
    ScriptedShellIT.class,
    CrashIT.class,
    GatewaySecurityIT.class,
    StartStopIT.class,
    BandwidthIT.class,
    DashboardIT.class,
    FleetScaleIT.class,
    HubSecurityIT.class,
    DeploymentRestartIT.class,
    HubDatabaseOutageIT.class,
    HubMetricsIT.class,
    MetricsEndpointIT.class,
    ChecksIT.class,
    SupportBundleIT.class,
    OpcUaAdapterIT.class,
    RouteModulesIT.class,
    EdgeAnalyticsIT.class,
    HubEndpointsIT.class,
    ModbusAdapterIT.class,
    HubRoutingIT.class,
})
public class ParallelLane {
}
