/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.ParameterizedTest;

class TwinDocumentTest {

    private static final TwinLimits LIMITS = TwinLimits.IOT_HUB;

    @Test
    void patchesMergeNullDeletesAndEachBumpsItsSectionVersion() {
        TwinDocument t = TwinDocument.empty().patchDesired("{\"pump\": {\"speed\": 3, \"mode\": \"auto\"}, \"x\": 1}",
                LIMITS);
        assertThat(t.desiredVersion()).isEqualTo(2);
        assertThat(t.reportedVersion()).isEqualTo(1);
        t = t.patchDesired("{\"pump\": {\"speed\": 5, \"mode\": null}, \"x\": null, \"$version\": 99}", LIMITS);
        assertThat(t.desired()).isEqualTo("{\"pump\":{\"speed\":5},\"$version\":3}");
        t = t.patchReported("{\"pump\": {\"running\": true}}", LIMITS);
        assertThat(t.reported()).isEqualTo("{\"pump\":{\"running\":true},\"$version\":2}");
        assertThat(TwinDocument.parse(t.toJson())).isEqualTo(t);
    }

    @Test
    void aPatchThatBreaksARuleIsRefusedWithItsPathAndChangesNothing() {
        TwinDocument t = TwinDocument.empty().patchDesired("{\"a\": 1}", LIMITS);
        assertThatThrownBy(() -> t.patchDesired("{\"a.b\": 1}", LIMITS)).isInstanceOfSatisfying(TwinException.class,
                e -> {
                    assertThat(e.path()).isEqualTo("desired.a.b");
                    assertThat(e.reason()).contains("may not contain '.'");
                });
        assertThatThrownBy(() -> t.patchDesired("{\"ok\": {\"$bad\": 1}}", LIMITS)).hasMessageStartingWith(
                "desired.ok.$bad: a key may not contain");
        assertThatThrownBy(() -> t.patchReported("{\"s\": \"" + "x".repeat(4097) + "\"}", LIMITS))
                .hasMessageContaining("reported.s: a string value may have at most 4096 bytes; this one has 4097");
        assertThatThrownBy(() -> t.patchDesired("{\"a\": [1, 2", LIMITS)).hasMessageStartingWith("desired: not JSON");
        assertThatThrownBy(() -> t.patchDesired("[1]", LIMITS)).hasMessage("desired: must be a JSON object");
        String deep = "{\"l1\":{\"l2\":{\"l3\":{\"l4\":{\"l5\":{\"l6\":{\"l7\":{\"l8\":{\"l9\":{\"l10\":{\"l11\":1}}}}}}}}}}}";
        assertThatThrownBy(() -> t.patchDesired(deep, LIMITS)).hasMessageContaining("nested deeper than 10 levels");
        assertThat(t.desired()).isEqualTo("{\"a\":1,\"$version\":2}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"a\": [{\"b.c\": 1}]}`|`desired.a[0].b.c: a key may not contain '.', '$', spaces or control characters; found '.' in 'b.c'`",
        "`{\"a\": [1, {\"$x\": 1}]}`|`desired.a[1].$x: a key may not contain '.', '$', spaces or control characters; found '$' in '$x'`",
        "`{\"a\": [[{\"has space\": 1}]]}`|`desired.a[0][0].has space: a key may not contain '.', '$', spaces or control characters; found a space in 'has space'`",
        "`{\"a\": [{\"\": 1}]}`|`desired.a[0].: a key may not be empty`",
        "`{\"a\": [{\"b\": \"xxxxx\"}]}`|`desired.a[0].b: a string value may have at most 4 bytes; this one has 5`",
        "`{\"a\": [[[[\"deep\"]]]]}`|`desired.a[0][0][0]: nested deeper than 4 levels`",
        "`{\"a\": [{\"b\": {\"c\": {\"d\": 1}}}]}`|`desired.a[0].b.c: nested deeper than 4 levels`",
    })
    void objectsAndArraysInsideArraysKeepTheKeyAndDepthRules(String patch, String message) {
        TwinLimits limits = new TwinLimits(1024, 4, 4, 64);
        assertThatThrownBy(() -> TwinDocument.empty().patchDesired(patch, limits)).isInstanceOf(TwinException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> TwinDocument.empty().replaceDesired(patch, limits)).hasMessage(message);
        assertThatThrownBy(() -> TwinDocument.patchSection(JsonNodeFactory.instance.objectNode(), patch, "desired",
                limits)).hasMessage(message);
    }

    @Test
    void arraysWithinTheLimitsAreKept() {
        TwinLimits limits = new TwinLimits(1024, 4, 4, 64);
        TwinDocument t = TwinDocument.empty().patchDesired("{\"a\": [1, \"x\", null, {\"b\": [2]}]}", limits);
        assertThat(t.desired()).isEqualTo("{\"a\":[1,\"x\",null,{\"b\":[2]}],\"$version\":2}");
    }

    @Test
    void aHundredThousandNestedArraysAreRefusedNotAStackOverflow() {
        String deep = "{\"a\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> TwinDocument.empty().patchReported(deep, TwinLimits.IOT_HUB)).isInstanceOf(
                TwinException.class).hasMessageStartingWith("reported: not JSON: Document nesting depth");
        String deepButParsed = "{\"a\": " + "[".repeat(500) + "]".repeat(500) + "}";
        assertThatThrownBy(() -> TwinDocument.empty().patchReported(deepButParsed, TwinLimits.IOT_HUB))
                .hasMessage("reported.a" + "[0]".repeat(9) + ": nested deeper than 10 levels");
    }

    @Test
    void aSectionMayNotOutgrowItsBoundButNullsMakeRoom() {
        TwinLimits small = new TwinLimits(64, 10, 4096, 1024);
        TwinDocument t = TwinDocument.empty().patchReported("{\"a\": \"" + "x".repeat(40) + "\"}", small);
        assertThatThrownBy(() -> t.patchReported("{\"b\": \"" + "y".repeat(30) + "\"}", small)).isInstanceOfSatisfying(
                TwinException.class, e -> assertThat(e.reason()).contains("at most 64 are allowed",
                        "delete keys with null"));
        assertThat(t.patchReported("{\"a\": null, \"b\": \"" + "y".repeat(30) + "\"}", small).reported())
                .contains("\"b\"").doesNotContain("\"a\"");
    }

    @Test
    void offlinePatchesCombineIntoOneWithTheSameEffect() {
        String combined = TwinDocument.combine("{\"a\": {\"x\": 1, \"y\": 2}, \"b\": 1}",
                "{\"a\": {\"y\": null, \"z\": 3}, \"c\": 4}");
        assertThat(combined).isEqualTo("{\"a\":{\"x\":1,\"y\":null,\"z\":3},\"b\":1,\"c\":4}");
        TwinDocument base = TwinDocument.empty().patchReported("{\"a\": {\"y\": 0}, \"old\": 1}", LIMITS);
        TwinDocument stepwise = base.patchReported("{\"a\": {\"x\": 1, \"y\": 2}, \"b\": 1}", LIMITS)
                .patchReported("{\"a\": {\"y\": null, \"z\": 3}, \"c\": 4}", LIMITS);
        assertThat(withoutVersion(base.patchReported(combined, LIMITS).reported())).isEqualTo(withoutVersion(stepwise
                .reported()));
    }

    private static String withoutVersion(String section) {
        return section.replaceAll(",?\"\\$version\":\\d+", "");
    }

    @Test
    void replacingDesiredKeepsReportedAndCountsOn() {
        TwinDocument t = TwinDocument.empty().patchReported("{\"r\": 1}", LIMITS).replaceDesired(
                "{\"modules\": {}, \"$version\": 40}", LIMITS);
        assertThat(t.desired()).isEqualTo("{\"modules\":{},\"$version\":2}");
        assertThat(t.reported()).isEqualTo("{\"r\":1,\"$version\":2}");
    }

    @Test
    void aDiffHoldsOnlyWhatChangedAndDeletesWhatIsGone() {
        String from = "{\"lastDesiredVersion\": 2, \"modules\": {\"a\": {\"runtimeStatus\": \"running\","
                + " \"restartCount\": 0}, \"gone\": {\"runtimeStatus\": \"running\"}}, \"old\": 1, \"$version\": 4}";
        String to = "{\"lastDesiredVersion\": 3, \"modules\": {\"a\": {\"runtimeStatus\": \"running\","
                + " \"restartCount\": 1}, \"b\": {\"runtimeStatus\": \"backoff\"}}, \"lastDesiredStatus\": null}";
        assertThat(TwinDocument.diff(from, to)).isEqualTo("{\"lastDesiredVersion\":3,\"modules\":{\"a\":"
                + "{\"restartCount\":1},\"b\":{\"runtimeStatus\":\"backoff\"},\"gone\":null},\"old\":null}");
    }

    @Test
    void theDiffOfEqualSectionsIsEmpty() {
        String same = "{\"a\": {\"b\": [1, 2]}, \"c\": \"x\"}";
        assertThat(TwinDocument.diff(same, same)).isEqualTo("{}");
    }

    @Test
    void takingTheHubsDesiredKeepsItsVersionAndTheLocalReported() {
        TwinDocument local = TwinDocument.empty().patchReported("{\"a\": 1}", TwinLimits.IOT_HUB);
        TwinDocument taken = local.withDesired("{\"t\": 30, \"$version\": 7}", 7, TwinLimits.IOT_HUB);
        assertThat(taken.desired()).isEqualTo("{\"t\":30,\"$version\":7}");
        assertThat(taken.reported()).isEqualTo(local.reported());
    }

    @Test
    void limitsSetByAnOperatorApply() {
        TwinLimits tight = TwinLimits.of(1, 2, 1, 8);
        TwinDocument t = TwinDocument.empty();

        assertThatThrownBy(() -> t.patchDesired("{\"a\": {\"b\": {\"c\": 1}}}", tight))
                .hasMessageContaining("nested deeper than 2 levels");
        assertThatThrownBy(() -> t.patchReported("{\"longer-than-8\": 1}", tight)).hasMessageContaining("reported.");
        assertThat(t.patchDesired("{\"a\": {\"b\": 1}}", tight).desiredVersion()).isEqualTo(2);
        assertThatThrownBy(() -> TwinLimits.of(0, 1, 1, 1)).hasMessageStartingWith("twin limits must be positive");
    }
}
