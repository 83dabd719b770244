/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MethodResultTest {

    @Test
    void theServersOwnAnswerCarriesItsTextAsJson() {
        assertThat(MethodResult.error(404, "d1 is \"gone\"")).isEqualTo(new MethodResult(404,
                "{\"message\":\"d1 is \\\"gone\\\"\"}"));
    }

    @Test
    void aServerThatKnowsNoOtherAnswers404ForAnIdentityNotConnectedToIt() {
        assertThat(MethodRelay.NOWHERE.invoke(Identity.module("d1", "m1"), "reboot", "{}", Duration.ofSeconds(5))
                .toCompletableFuture()).isCompletedWithValue(MethodResult.error(404, "d1/m1 is not connected"));
    }
}
