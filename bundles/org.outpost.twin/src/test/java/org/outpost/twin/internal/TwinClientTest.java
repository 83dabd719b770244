/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.twin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class TwinClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    @Test
    void theReportedPatchHoldsOnlyWhatChangedAndDeletesWhatIsGone() throws Exception {
        ObjectNode atHub = json("{\"lastDesiredVersion\": 2, \"modules\": {\"a\": {\"runtimeStatus\": \"running\","
                + " \"restartCount\": 0}, \"gone\": {\"runtimeStatus\": \"running\"}}, \"old\": 1}");
        ObjectNode now = json("{\"lastDesiredVersion\": 3, \"modules\": {\"a\": {\"runtimeStatus\": \"running\","
                + " \"restartCount\": 1}, \"b\": {\"runtimeStatus\": \"backoff\"}}, \"lastDesiredStatus\": null}");
        assertThat(TwinClient.diff(atHub, now).toString()).isEqualTo("{\"lastDesiredVersion\":3,\"modules\":{\"a\":"
                + "{\"restartCount\":1},\"b\":{\"runtimeStatus\":\"backoff\"},\"gone\":null},\"old\":null}");
    }

    @Test
    void nothingChangedIsAnEmptyPatch() throws Exception {
        ObjectNode same = json("{\"a\": {\"b\": [1, 2]}, \"c\": \"x\"}");
        assertThat(TwinClient.diff(same, same.deepCopy()).isEmpty()).isTrue();
    }
}
