/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

/** What a refused call is told: what is wrong and what to do, and where, when there is a where. */
@Schema(name = "Error")
record ApiError(String error,
        @Schema(description = "the JSON path of the problem, when there is one")
        @JsonInclude(JsonInclude.Include.NON_NULL) String path) {
}
