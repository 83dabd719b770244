/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import javax.inject.Inject;

import org.apache.camel.RoutesBuilder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;

import org.ops4j.pax.exam.Option;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.Upstream;
import org.outpost.routing.api.Routing;

/**
 * Boots the gateway distribution ({@code karaf-distribution/gateway}); its upstream points at a Mosquitto the test
 * starts on {@link #cloudPort()}, and retries within a second.
 */
public abstract class OutpostTestSupport extends KarafTestSupport {

    static final String CLOUD_PORT = "outpost.test.cloud.port";

    @Inject
    protected EdgeRuntime runtime;

    @Inject
    protected Upstream upstream;

    @Inject
    protected Routing routing;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    @Inject
    protected BundleContext bundleContext;

    @Override
    protected String distributionProperty() {
        return "outpost.distribution";
    }

    @Override
    protected Option[] extraOptions() {
        int cloud = freePort();
        return new Option[] {
            systemProperty(CLOUD_PORT).value(Integer.toString(cloud)),
            systemProperty("outpost.heartbeat.jar").value(System.getProperty("outpost.heartbeat.jar")),
            editConfigurationFilePut("etc/org.outpost.upstream.cfg", "url", "tcp://127.0.0.1:" + cloud),
            editConfigurationFilePut("etc/org.outpost.upstream.cfg", "reconnect.min.ms", "200"),
            editConfigurationFilePut("etc/org.outpost.upstream.cfg", "reconnect.max.ms", "1000"),
            editConfigurationFilePut("etc/org.outpost.samples.sensor.cfg", "interval.ms", "200"),
            // Not IoT Edge's 8883, which a test of the Azure SDK needs free.
            editConfigurationFilePut("etc/org.outpost.edgehub.cfg", "tls.port", Integer.toString(freePort()))
        };
    }

    /**
     * Replaces the gateway's routes and waits until the router has them.
     *
     * @param routes the new {@code org.outpost.routing} configuration; its first key marks it as applied
     */
    protected void setRoutes(Map<String, String> routes) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>(routes);
        configurationAdmin.getConfiguration("org.outpost.routing", null).update(properties);
        String marker = routes.keySet().iterator().next();
        await().atMost(Duration.ofSeconds(30)).until(() -> routerHas(marker));
    }

    /** @return true once the router's service carries the configuration key (it was applied or rejected) */
    protected boolean routerHas(String key) throws InvalidSyntaxException {
        return !bundleContext.getServiceReferences(RoutesBuilder.class,
                "(&(component.name=org.outpost.routing.internal.Router)(" + key + "=*))").isEmpty();
    }

    /** @return the port the test's Mosquitto (the cloud) listens on */
    protected static int cloudPort() {
        return Integer.getInteger(CLOUD_PORT);
    }
}
