/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Map;

import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;

import org.junit.jupiter.api.Test;

class ResponseHeadersTest {

    private static MultivaluedMap<String, Object> filtered(Object entity, String type) {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        if (type != null) {
            headers.putSingle("Content-Type", type);
        }
        new ResponseHeaders().filter(null, Stub.of(ContainerResponseContext.class)
                .on("getHeaders", a -> headers)
                .on("hasEntity", a -> entity != null)
                .on("getEntity", a -> entity).build());
        return headers;
    }

    @Test
    void everyAnswerIsNotToBeStoredAndABodyIsJsonInUtf8() {
        assertThat(filtered(Map.of(), "application/octet-stream")).containsEntry("Cache-Control", java.util.List.of(
                "no-store")).containsEntry("Content-Type", java.util.List.of("application/json;charset=utf-8"));
        assertThat(filtered(null, null)).containsOnlyKeys("Cache-Control", "X-Frame-Options",
                "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy");
    }

    @Test
    void noAnswerMayBeFramedSniffedOrGiveAReferrer() {
        assertThat(filtered(Map.of(), null)).containsEntry("X-Frame-Options", java.util.List.of("DENY"))
                .containsEntry("Content-Security-Policy", java.util.List.of("default-src 'none'; frame-ancestors"
                        + " 'none'"))
                .containsEntry("X-Content-Type-Options", java.util.List.of("nosniff"))
                .containsEntry("Referrer-Policy", java.util.List.of("no-referrer"));
    }

    @Test
    void aStreamKeepsTheTypeItWasGiven() {
        assertThat(filtered(new ByteArrayInputStream(new byte[0]), "application/json"))
                .containsEntry("Content-Type", java.util.List.of("application/json"));
    }
}
