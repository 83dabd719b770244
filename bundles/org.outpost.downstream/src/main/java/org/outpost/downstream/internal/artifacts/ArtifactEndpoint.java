/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.downstream.internal.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.ops4j.pax.url.mvn.MavenResolver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.api.config.InvalidConfigurationException;
import org.outpost.downstream.api.ChildScope;
import org.outpost.identity.api.GatewayCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parent gateway serves its child gateways the Maven artifacts (module bundles, feature repositories) they install,
 * as IoT Edge's API proxy serves container images: {@code https://<parent>:<port>/artifacts/<repository path>}, what
 * its repositories have, fetching through pax-url (and keeping) what they lack. Children list it in
 * {@code org.ops4j.pax.url.mvn.repositories}. Only child gateways of this gateway's scope are served
 * ({@link ChildAuthorization}). Off unless {@code port} is set.
 */
@Component(configurationPid = ArtifactSettings.PID)
@Designate(ocd = ArtifactEndpoint.Config.class)
public final class ArtifactEndpoint {

    @ObjectClassDefinition(name = "Outpost artifacts for child gateways", description = "HTTPS Maven repository a"
            + " parent gateway offers its child gateways.")
    public @interface Config {
        @AttributeDefinition(description = "HTTPS port; -1: off (the default), 0: any free port.")
        int port() default -1;

        @AttributeDefinition(description = "Address to listen on; 0.0.0.0 for children on other machines.")
        String host() default "127.0.0.1";

        @AttributeDefinition(description = "Repository folders served as they are (comma-separated, relative to"
                + " ${karaf.home}).")
        String folders() default "system";

        @AttributeDefinition(description = "Fetch what the folders lack through pax-url (etc/org.ops4j.pax.url.mvn"
                + ".cfg: its local repository and remote repositories), which keeps it in the local repository.")
        boolean fetch() default true;

        @AttributeDefinition(description = "Requests served at once.")
        int threads() default 4;

        @AttributeDefinition(description = "Seconds a client may take to send its request.")
        int read_timeout_seconds() default 30;

        @AttributeDefinition(description = "Failed authentications per address and minute before it is refused.")
        int auth_max_failures_per_minute() default 10;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactEndpoint.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MavenResolver resolver;

    private final ArtifactServer server;
    private final AutoCloseable renewals;

    @Activate
    public ArtifactEndpoint(@Reference ChildScope scope, @Reference GatewayCertificates certificates, Config config,
            Map<String, Object> properties) throws IOException, GeneralSecurityException {
        ArtifactSettings s;
        try {
            s = ArtifactSettings.from(config, properties, Path.of(System.getProperty("karaf.home", ".")));
        } catch (InvalidConfigurationException e) {
            LOG.error("{}; the artifact endpoint for child gateways stays off until it is fixed", e.getMessage());
            s = null;
        }
        if (s == null || s.port() < 0) {
            server = null;
            renewals = () -> { };
            return;
        }
        server = new ArtifactServer(s, tls(certificates), new ArtifactStore(s.folders(), () -> resolver, s.fetch()),
                new ChildAuthorization(scope, Clock.systemUTC()), Clock.systemUTC());
        renewals = certificates.onRenewal(() -> {
            try {
                server.reloadTls(tls(certificates));
            } catch (IOException | GeneralSecurityException e) {
                LOG.error("Artifacts: the renewed server certificate cannot be loaded ({}); new connections keep the"
                        + " old one. Check the gateway's certificates (edge:ca)", e.getMessage());
            }
        });
        LOG.info("Artifacts for child gateways: https://{}:{}{} ({}fetching what is missing)", s.host(),
                server.port(), ArtifactServer.PREFIX, s.fetch() ? "" : "not ");
    }

    /** @return a TLS context with the gateway's server key and chain */
    static SSLContext tls(GatewayCertificates certificates) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] password = certificates.serverKeyStorePassword();
        try (InputStream in = Files.newInputStream(certificates.serverKeyStore())) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** @return the port it listens on, -1 when it is off */
    int port() {
        return server == null ? -1 : server.port();
    }

    @Deactivate
    void deactivate() throws Exception {
        renewals.close();
        if (server != null) {
            server.close();
        }
    }
}
