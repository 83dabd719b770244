/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.operator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorKeyTest {

    @TempDir
    Path etc;

    @Test
    void createsAnOwnerOnlyPrivateKeyWhosePublicHalfLogsInAsOperator() throws Exception {
        Files.writeString(etc.resolve("keys.properties"), "_g_\\:admingroup = group,admin,ssh\noperator=OLD,x\n");

        OperatorKey.ensure(etc);

        Path key = etc.resolve("operator.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String pem = Files.readString(key);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));

        List<String> keys = Files.readAllLines(etc.resolve("keys.properties"));
        assertThat(keys).hasSize(2).first().isEqualTo("_g_\\:admingroup = group,admin,ssh");
        String line = keys.get(1);
        assertThat(line).startsWith("operator=").endsWith(",_g_:admingroup");
        DataInputStream blob = new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(
                line.substring("operator=".length(), line.indexOf(',')))));
        assertThat(new String(read(blob), StandardCharsets.US_ASCII)).isEqualTo("ssh-rsa");
        assertThat(new BigInteger(read(blob))).isEqualTo(priv.getPublicExponent());
        assertThat(new BigInteger(read(blob))).isEqualTo(priv.getModulus());
    }

    @Test
    void keepsAnExistingKey() throws Exception {
        Files.writeString(etc.resolve("operator.key"), "mine");

        OperatorKey.ensure(etc);

        assertThat(Files.readString(etc.resolve("operator.key"))).isEqualTo("mine");
        assertThat(etc.resolve("keys.properties")).doesNotExist();
    }

    private static byte[] read(DataInputStream in) throws Exception {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}
