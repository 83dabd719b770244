/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ReadingsAndDedupTest {

    private final CamelContext context = new DefaultCamelContext();

    private Exchange exchange(String body) {
        Exchange e = new DefaultExchange(context);
        e.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return e;
    }

    @Test
    void aReadingsKeyValueTimeAndIdBecomeHeaders() throws Exception {
        ReadingExtractor r = new ReadingExtractor();
        r.setKeyField("machine.id");
        r.setValueField("machine.temperature");
        r.setTimestampField("ts");
        r.setIdField("seq");
        Exchange e = exchange("{\"machine\": {\"id\": \"press-4\", \"temperature\": \"71.5\"}, \"ts\":"
                + " \"2026-01-01T01:00:00.250+01:00\", \"seq\": 17}");
        r.process(e);
        assertThat(e.isRouteStop()).isFalse();
        assertThat(e.getMessage().getHeaders()).containsEntry(AnalyticsHeaders.KEY, "press-4")
                .containsEntry(AnalyticsHeaders.VALUE, 71.5).containsEntry(AnalyticsHeaders.TIME, 1767225600250L)
                .containsEntry(AnalyticsHeaders.ID, "17");
    }

    @Test
    void withoutKeyOrTimeTheDefaultsApply() throws Exception {
        ReadingExtractor r = new ReadingExtractor();
        Exchange e = exchange("{\"value\": 3}");
        e.getMessage().setHeader("OutpostCreationTimeUtc", "2026-01-01T00:00:00Z");
        e.getMessage().setHeader("OutpostMessageId", "m-9");
        r.process(e);
        assertThat(e.getMessage().getHeaders()).containsEntry(AnalyticsHeaders.KEY, "unknown")
                .containsEntry(AnalyticsHeaders.TIME, 1767225600000L).containsEntry(AnalyticsHeaders.ID, "m-9");
        Exchange epoch = exchange("{\"value\": 3, \"timestamp\": 1767225600123}");
        r.process(epoch);
        assertThat(epoch.getMessage().getHeader(AnalyticsHeaders.TIME)).isEqualTo(1767225600123L);
    }

    @Test
    void aMessageThatIsNotAReadingStopsOrFailsSayingWhy() throws Exception {
        ReadingExtractor r = new ReadingExtractor();
        Exchange e = exchange("{\"sensor\": \"a\", \"value\": \"warm\"}");
        r.process(e);
        assertThat(e.isRouteStop()).isTrue();
        assertThat(r.invalidCount()).isEqualTo(1);
        r.setInvalid("fail");
        Exchange broken = exchange("[1, 2");
        broken.getMessage().setHeader("OutpostMessageId", "m-7");
        assertThatThrownBy(() -> r.process(broken)).hasMessage(
                "Message m-7 is not a reading: its body is not JSON (value field 'value')");
        assertThatThrownBy(() -> r.setInvalid("ignore")).hasMessage(
                "ReadingExtractor invalid='ignore': use drop or fail");
    }

    @Test
    void anIdIsRememberedForItsWindowOnly() {
        TimeWindowIdempotentRepository repo = new TimeWindowIdempotentRepository();
        long[] now = {1000};
        repo.setClock(() -> now[0]);
        repo.setWindowSeconds(10);
        assertThat(repo.add("a")).isTrue();
        now[0] = 5000;
        assertThat(repo.add("b")).isTrue();
        assertThat(repo.add("a")).isFalse();
        now[0] = 10_999;
        assertThat(repo.contains("a")).isTrue();
        now[0] = 11_000;
        assertThat(repo.contains("a")).isFalse();
        assertThat(repo.add("a")).isTrue();
        assertThat(repo.size()).isEqualTo(2);
        now[0] = 30_000;
        assertThat(repo.size()).isZero();
    }

    @Test
    void beyondMaxEntriesTheOldestIdIsForgottenEarly() {
        TimeWindowIdempotentRepository repo = new TimeWindowIdempotentRepository();
        repo.setMaxEntries(2);
        assertThat(repo.add("a")).isTrue();
        assertThat(repo.add("b")).isTrue();
        assertThat(repo.add("c")).isTrue();
        assertThat(repo.contains("a")).isFalse();
        assertThat(repo.contains("b")).isTrue();
        assertThat(repo.add("c")).isFalse();
    }

    @Test
    void aJsonFieldIsAnExpression() {
        JsonField f = new JsonField();
        f.setPath("machine.id");
        assertThat(f.evaluate(exchange("{\"machine\": {\"id\": 42}}"), String.class)).isEqualTo("42");
        assertThat(f.evaluate(exchange("{\"machine\": {}}"), String.class)).isNull();
        assertThat(f.evaluate(exchange("nope"), String.class)).isNull();
    }
}
