/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;
import org.outpost.hub.api.DeviceRegistry;

class UnroutedRequestsTest {

    private final UnroutedRequests filter = new UnroutedRequests(Stub.of(DeviceRegistry.class)
            .on("device", a -> Optional.empty()).build());

    private List<Response> filtered(String method, String path) {
        List<Response> aborted = new ArrayList<>();
        UriInfo uri = Stub.of(UriInfo.class).on("getPath", a -> path).build();
        filter.filter(Stub.of(ContainerRequestContext.class).on("getMethod", a -> method)
                .on("getUriInfo", a -> uri).on("abortWith", a -> aborted.add((Response) a[0])).build());
        return aborted;
    }

    @Test
    void headAndOptionsAreAnsweredAsTheApiAlwaysDidNotAsAGetOrAMethodList() {
        assertThat(filtered("HEAD", "devices")).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(405);
            assertThat(((ApiError) r.getEntity()).error()).isEqualTo("HEAD is not allowed on /api/devices");
        });
        assertThat(filtered("OPTIONS", "devices/x/twin")).singleElement().satisfies(r -> assertThat(
                ((ApiError) r.getEntity()).error()).isEqualTo("no device 'x'"));
    }

    @Test
    void otherMethodsGoOnToTheResources() {
        assertThat(filtered("GET", "devices")).isEmpty();
        assertThat(filtered("PATCH", "devices/x")).isEmpty();
    }
}
