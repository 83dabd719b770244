/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.outpost.hub.deployments.DeploymentException;
import org.outpost.protocol.TwinException;

class ApiErrorsTest {

    @Test
    void aRefusalKeepsItsStatusPathAndHeaders() {
        ApiException e = new ApiException(429, "wait", null, Map.of("Retry-After", "5"));
        assertThat(ApiErrors.apiException(e)).isSameAs(e);
    }

    @Test
    void deploymentsAndTwinsTheServicesRefuseAre400WithTheirPath() {
        ApiException d = ApiErrors.apiException(new DeploymentException("content.modulesContent.m.settings", "no"));
        assertThat(d.status()).isEqualTo(400);
        assertThat(d.path()).isEqualTo("content.modulesContent.m.settings");
        ApiException t = ApiErrors.apiException(new TwinException("tags.a", "too deep"));
        assertThat(t.status()).isEqualTo(400);
        assertThat(t.path()).isEqualTo("tags.a");
    }

    @Test
    void unknownThingsAre404AndOtherBadInput400() {
        assertThat(ApiErrors.apiException(new IllegalArgumentException("no device 'x'")).status()).isEqualTo(404);
        assertThat(ApiErrors.apiException(new IllegalArgumentException("bad key")).status()).isEqualTo(400);
        assertThat(ApiErrors.apiException(new IllegalArgumentException()).status()).isEqualTo(400);
    }

    @Test
    void anythingElseIs500AndSaysWhat() {
        ApiException e = ApiErrors.apiException(new IllegalStateException("disk full"));
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.getMessage()).isEqualTo("the hub failed: java.lang.IllegalStateException: disk full (see its"
                + " log)");
    }
}
