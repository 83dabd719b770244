/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.outpost.identity.api.GatewayCertificates;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.identity.api.ModuleIdentity;

/** Small fakes of the workload API's collaborators, and what the tests compare with. */
final class WorkloadFakes {

    static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";

    private WorkloadFakes() {
    }

    /** Module identities in memory: what the workload API reads of them. */
    static class Identities implements ModuleIdentities {
        private final Map<String, ModuleIdentity> byModule = new ConcurrentHashMap<>();
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        private int generation;

        @Override
        public String deviceId() {
            return "gateway";
        }

        @Override
        public synchronized ModuleIdentity create(String moduleId) {
            ModuleIdentity identity = byModule.computeIfAbsent(moduleId, m -> new ModuleIdentity("gateway", m,
                    "gen-" + m + "-" + (++generation), key(m + "-primary-" + generation), key(m + "-secondary-"
                            + generation), Instant.now(), false));
            listeners.forEach(Runnable::run);
            return identity;
        }

        @Override
        public Optional<ModuleIdentity> identity(String moduleId) {
            return Optional.ofNullable(byModule.get(moduleId));
        }

        @Override
        public List<ModuleIdentity> identities() {
            return new ArrayList<>(byModule.values());
        }

        @Override
        public boolean delete(String moduleId) {
            boolean had = byModule.remove(moduleId) != null;
            listeners.forEach(Runnable::run);
            return had;
        }

        @Override
        public Pending pending() {
            return new Pending(List.of(), List.of());
        }

        @Override
        public void registeredAtHub(String moduleId, String generationId) {
        }

        @Override
        public void deletedAtHub(String moduleId) {
        }

        @Override
        public AutoCloseable onChange(Runnable listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        int listeners() {
            return listeners.size();
        }

        @Override
        public Map<String, String> environment(String moduleId, Placement placement) {
            throw new UnsupportedOperationException("not used by the workload API");
        }

        @Override
        public String connectionString(String moduleId) {
            throw new UnsupportedOperationException("not used by the workload API");
        }

        private static String key(String seed) {
            byte[] bytes = new byte[32];
            byte[] s = seed.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (s[i % s.length] * 31 + i);
            }
            return Base64.getEncoder().encodeToString(bytes);
        }
    }

    /** A gateway CA whose certificate is {@link #PEM}. */
    static final class Certificates implements GatewayCertificates {
        @Override
        public String caCertificatePem() {
            return PEM;
        }

        @Override
        public Path caCertificateFile() {
            throw new UnsupportedOperationException("not used by the workload API");
        }

        @Override
        public Path serverKeyStore() {
            throw new UnsupportedOperationException("not used by the workload API");
        }

        @Override
        public char[] serverKeyStorePassword() {
            throw new UnsupportedOperationException("not used by the workload API");
        }

        @Override
        public List<String> serverHostNames() {
            return List.of("localhost");
        }

        @Override
        public Instant serverNotAfter() {
            return Instant.MAX;
        }

        @Override
        public Instant caNotAfter() {
            return Instant.MAX;
        }

        @Override
        public AutoCloseable onRenewal(Runnable listener) {
            return () -> { };
        }
    }

    /** @return Base64 of the HMAC-SHA256 of the data under the (Base64) key, computed here with javax.crypto */
    static String hmac(String base64Key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data));
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
