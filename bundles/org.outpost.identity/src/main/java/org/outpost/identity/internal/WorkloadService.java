/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.outpost.identity.api.GatewayCertificates;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IoT Edge's workload API on this gateway: one unix socket per module identity, at
 * {@code <workload.dir>/<moduleId>.sock} ({@link WorkloadSockets}), opened when the identity is made and closed when
 * it is deleted; modules sign with their own keys there and fetch the gateway's CA certificate
 * ({@link WorkloadRequests}).
 * <p>
 * Configuration: {@code workload.dir} of PID {@value #PID} (default {@code ${karaf.data}/outpost/workload}), read
 * here and by the module identities, which give modules the same path as {@code IOTEDGE_WORKLOADURI}. A change of
 * any other attribute of the PID leaves the sockets as they are.
 */
@Component(configurationPid = WorkloadService.PID, immediate = true, service = {})
public final class WorkloadService {

    /** What this component reads of PID {@value #PID}. Its Metatype definition is the module identities' one. */
    public @interface Config {
        /** The folder of the modules' workload sockets. */
        String workload_dir() default DEFAULT_DIR;
    }

    static final String PID = "org.outpost.identity";
    static final String DEFAULT_DIR = "${karaf.data}/outpost/workload";
    /** How long a connection may take to deliver a request whole, or stay idle between two. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadService.class);

    private final ModuleIdentities identities;
    private final WorkloadRequests requests;
    private final AutoCloseable subscription;
    private volatile Served served;

    private record Served(Path dir, WorkloadServer server) {
    }

    @Activate
    public WorkloadService(@Reference ModuleIdentities identities, @Reference GatewayCertificates certificates,
            Config config) throws IOException {
        this.identities = identities;
        this.requests = new WorkloadRequests(identities, certificates, new WorkloadRefusals(Duration.ofMinutes(1)));
        // Listening first: a change while the sockets open is served too (serve asks for the identities then).
        this.subscription = identities.onChange(this::identitiesChanged);
        try {
            this.served = start(dir(config));
        } catch (IOException | RuntimeException e) {
            closeSubscription();
            throw e;
        }
    }

    @Modified
    void modified(Config config) throws IOException {
        Path dir = dir(config);
        Served before = served;
        if (before.dir().equals(dir)) {
            return;
        }
        LOG.info("Workload API: the sockets move from {} to {}", before.dir(), dir);
        before.server().close();
        served = start(dir);
    }

    @Deactivate
    void deactivate() {
        closeSubscription();
        served.server().close();
    }

    private void closeSubscription() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("Workload API: cannot stop listening to identity changes: {}", e.toString());
        }
    }

    private Served start(Path dir) throws IOException {
        WorkloadServer server = new WorkloadServer(new WorkloadSockets(dir), requests, TIMEOUT);
        server.serve(this::moduleIds);
        return new Served(dir, server);
    }

    private void identitiesChanged() {
        Served now = served;
        if (now != null) {
            now.server().serve(this::moduleIds);
        }
    }

    private Set<String> moduleIds() {
        return identities.identities().stream().map(ModuleIdentity::moduleId).collect(Collectors.toSet());
    }

    /** @return the configured folder, {@code ${karaf.data}} and {@code ${karaf.home}} expanded */
    static Path dir(Config config) {
        String dir = config.workload_dir().isBlank() ? DEFAULT_DIR : config.workload_dir().trim();
        return Path.of(dir.replace("${karaf.data}", System.getProperty("karaf.data", "data"))
                .replace("${karaf.home}", System.getProperty("karaf.home", "."))).toAbsolutePath().normalize();
    }
}
