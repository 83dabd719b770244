/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.outpost.identity.api.GatewayCertificates;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;

class IdentityCommandsTest {

    private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;
    private final FakeIdentities identities = new FakeIdentities();

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void caPrintsExactlyThePemSoThatItCanBeRedirectedToAFile() throws Exception {
        CaCommand command = new CaCommand();
        command.certificates = new FakeCertificates();

        command.execute();

        assertThat(printed()).isEqualTo(FakeCertificates.PEM);
    }

    @Test
    void caWithJsonTellsTheSubjectExpiriesHostNamesAndFiles() throws Exception {
        CaCommand command = new CaCommand();
        command.certificates = new FakeCertificates();
        command.json = true;

        command.execute();

        JsonNode json = new ObjectMapper().readTree(printed());
        assertThat(json.path("subject").asText()).isEqualTo("CN=Outpost gateway CA gw-1");
        assertThat(json.path("notAfter").asText()).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(json.path("caFile").asText()).endsWith("ca.pem");
        assertThat(json.path("serverHostNames").toString()).isEqualTo("[\"localhost\",\"127.0.0.1\"]");
        assertThat(json.path("serverNotAfter").asText()).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(json.path("serverKeyStore").asText()).endsWith("server.p12");
    }

    @Test
    void theConnectionStringOfAModuleWithAnIdentityIsPrinted() throws Exception {
        identities.create("filter");
        ModuleConnectionStringCommand command = new ModuleConnectionStringCommand();
        command.identities = identities;
        command.module = "filter";

        command.execute();

        assertThat(printed()).isEqualTo("HostName=hub;DeviceId=gw-1;ModuleId=filter;SharedAccessKey=" + KEY
                + ";GatewayHostName=localhost" + System.lineSeparator());
    }

    @Test
    void aModuleWithoutAnIdentityIsAnOperatorErrorNamingThoseThatHaveOne() {
        identities.create("filter");
        ModuleConnectionStringCommand command = new ModuleConnectionStringCommand();
        command.identities = identities;
        command.module = "nope";

        assertThatThrownBy(command::execute).isInstanceOf(CommandException.class)
                .hasMessageContaining("module 'nope' has no identity").hasMessageContaining("filter");
    }

    @Test
    void identitiesListsModulesGenerationsAndTheHubWithoutKeys() throws Exception {
        identities.create("filter");
        identities.create("sensor");
        identities.registeredAtHub("sensor", "100000000000000001");
        identities.delete("old");
        IdentitiesCommand command = new IdentitiesCommand();
        command.identities = identities;

        command.execute();

        assertThat(printed()).contains("filter", "sensor", "100000000000000001", "yes", "no",
                "2026-01-02T03:04:05Z", "Deleted here, the hub not yet told: old").doesNotContain(KEY);
    }

    @Test
    void identitiesWithJsonHasNoKeysEither() throws Exception {
        identities.create("filter");
        IdentitiesCommand command = new IdentitiesCommand();
        command.identities = identities;
        command.json = true;

        command.execute();

        JsonNode json = new ObjectMapper().readTree(printed());
        assertThat(json.path("deviceId").asText()).isEqualTo("gw-1");
        assertThat(json.path("identities").get(0).path("id").asText()).isEqualTo("gw-1/filter");
        assertThat(json.path("identities").get(0).path("atHub").asBoolean()).isFalse();
        assertThat(printed()).doesNotContain(KEY);
    }

    /** Certificates of a real self-signed CA made with the JDK, so that the command parses a real PEM. */
    static final class FakeCertificates implements GatewayCertificates {
        static final String PEM = pem();

        private static String pem() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(256);
                KeyPair keys = g.generateKeyPair();
                var name = new org.bouncycastle.asn1.x500.X500Name("CN=Outpost gateway CA gw-1");
                var cert = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                        new Date(), Date.from(Instant.parse("2027-01-01T00:00:00Z")), name, keys.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(keys.getPrivate()));
                return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(
                        StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String caCertificatePem() {
            return PEM;
        }

        @Override
        public Path caCertificateFile() {
            return Path.of("/data/outpost/ca/ca.pem");
        }

        @Override
        public Path serverKeyStore() {
            return Path.of("/data/outpost/ca/server.p12");
        }

        @Override
        public char[] serverKeyStorePassword() {
            return "secret".toCharArray();
        }

        @Override
        public List<String> serverHostNames() {
            return List.of("localhost", "127.0.0.1");
        }

        @Override
        public Instant serverNotAfter() {
            return Instant.parse("2026-02-01T00:00:00Z");
        }

        @Override
        public Instant caNotAfter() {
            return Instant.parse("2027-01-01T00:00:00Z");
        }

        @Override
        public AutoCloseable onRenewal(Runnable listener) {
            return () -> { };
        }
    }

    /** Module identities in memory, with one key for all and generations counted up. */
    static final class FakeIdentities implements ModuleIdentities {
        private final Map<String, ModuleIdentity> byModule = new LinkedHashMap<>();
        private final List<String> deleted = new ArrayList<>();
        private long generation = 100_000_000_000_000_000L;

        @Override
        public String deviceId() {
            return "gw-1";
        }

        @Override
        public ModuleIdentity create(String moduleId) {
            return byModule.computeIfAbsent(moduleId, m -> new ModuleIdentity("gw-1", m, Long.toString(generation++),
                    KEY, KEY, CREATED, false));
        }

        @Override
        public Optional<ModuleIdentity> identity(String moduleId) {
            return Optional.ofNullable(byModule.get(moduleId));
        }

        @Override
        public List<ModuleIdentity> identities() {
            return List.copyOf(byModule.values());
        }

        @Override
        public boolean delete(String moduleId) {
            deleted.add(moduleId);
            return byModule.remove(moduleId) != null;
        }

        @Override
        public Pending pending() {
            return new Pending(byModule.values().stream().filter(i -> !i.registered()).toList(), deleted);
        }

        @Override
        public void registeredAtHub(String moduleId, String generationId) {
            byModule.computeIfPresent(moduleId, (m, i) -> i.generationId().equals(generationId)
                    ? i.withRegistered(true) : i);
        }

        @Override
        public void deletedAtHub(String moduleId) {
            deleted.remove(moduleId);
        }

        @Override
        public AutoCloseable onChange(Runnable listener) {
            return () -> { };
        }

        @Override
        public Map<String, String> environment(String moduleId, Placement placement) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String connectionString(String moduleId) {
            ModuleIdentity i = identity(moduleId).orElseThrow(() -> new IllegalArgumentException("module '"
                    + moduleId + "' has no identity on this gateway (modules with one: "
                    + String.join(", ", byModule.keySet()) + ")"));
            return "HostName=hub;DeviceId=gw-1;ModuleId=" + moduleId + ";SharedAccessKey=" + i.primaryKey()
                    + ";GatewayHostName=localhost";
        }
    }
}
