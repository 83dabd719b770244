/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.operator.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outpost.commons.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the local operator a login without a well-known password: at first start it creates an RSA key pair, writes
 * the private key to {@code etc/operator.key} (readable by the owner only) and lets its public key log in as
 * {@code operator} (admin group) through {@code etc/keys.properties}. {@code bin/outpost-shell} uses it. Nothing is done
 * when the key exists already.
 */
@Component(service = {}, immediate = true)
public final class OperatorKey {

    static final String USER = "operator";
    /** The private key, in {@code ${karaf.etc}}. */
    static final String FILE = "operator.key";
    private static final Logger LOG = LoggerFactory.getLogger(OperatorKey.class);

    @Activate
    public OperatorKey(BundleContext context) {
        String etc = context.getProperty("karaf.etc");
        if (etc == null) {
            return;
        }
        try {
            ensure(Path.of(etc));
        } catch (IOException | java.security.GeneralSecurityException e) {
            LOG.error("Cannot create the operator key in {}: {}. Log in with a user from etc/users.properties"
                    + " instead.", etc, e.getMessage(), e);
        }
    }

    static void ensure(Path etc) throws IOException, java.security.GeneralSecurityException {
        Path key = etc.resolve(FILE);
        if (Files.exists(key)) {
            return;
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(3072);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String line = USER + "=" + sshPublicKey((RSAPublicKey) pair.getPublic()) + ",_g_:admingroup";
        Path keys = etc.resolve("keys.properties");
        List<String> lines = Files.exists(keys) ? Files.readAllLines(keys) : List.of();
        List<String> kept = lines.stream().filter(l -> !l.startsWith(USER + "=")).toList();
        AtomicFiles.write(keys, String.join("\n", concat(kept, line)) + "\n");
        // The private key last: its file is the sign that the whole key is in place.
        AtomicFiles.writeOwnerOnly(key, pem.getBytes(StandardCharsets.US_ASCII));
        LOG.info("Created the local operator key {} (bin/outpost-shell logs in with it)", key);
    }

    private static List<String> concat(List<String> lines, String line) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(lines);
        out.add(line);
        return out;
    }

    /** @return the base64 SSH wire encoding of an RSA public key, as keys.properties wants it */
    static String sshPublicKey(RSAPublicKey key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeBytes(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
        writeBytes(out, key.getPublicExponent().toByteArray());
        writeBytes(out, key.getModulus().toByteArray());
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

}
