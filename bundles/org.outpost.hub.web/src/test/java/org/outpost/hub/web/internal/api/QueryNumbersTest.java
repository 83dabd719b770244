/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.web.internal.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryNumbersTest {

    @Test
    void anAbsentNumberIsTheDefaultAndAGivenOneInRangeIsItself() {
        assertThat(QueryNumbers.number(null, "limit", 20, 1, 1000)).isEqualTo(20);
        assertThat(QueryNumbers.number("1000", "limit", 20, 1, 1000)).isEqualTo(1000);
    }

    @Test
    void aNumberOutOfRangeOrNotANumberIsRefusedWithItsName() {
        for (String s : new String[] {"0", "1001", "x", ""}) {
            assertThatThrownBy(() -> QueryNumbers.number(s, "limit", 20, 1, 1000))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.path()).isEqualTo("limit");
                        assertThat(e.getMessage()).isEqualTo("limit is a number from 1 to 1000, not '" + s + "'");
                    });
        }
    }
}
