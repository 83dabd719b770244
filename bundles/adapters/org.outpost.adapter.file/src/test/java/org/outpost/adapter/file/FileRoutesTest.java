/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.adapter.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** camel-file: a file dropped into a folder is picked up, moved to .done, and written out by another route. */
class FileRoutesTest {

    @TempDir
    Path dir;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void aDroppedFileIsReadMovedAndWrittenOut() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("file:" + in + "?include=.*\\.csv&move=.done&delay=100")
                        .transform(simple("${file:onlyname}: ${body}"))
                        .to("file:" + out + "?fileName=${file:name.noext}.txt");
            }
        });
        camel.start();

        Files.writeString(in.resolve("part.tmp"), "ignored");
        Files.writeString(in.resolve("readings.csv"), "a,1\nb,2\n");

        Path written = out.resolve("readings.txt");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(written));
        assertThat(Files.readString(written, StandardCharsets.UTF_8)).isEqualTo("readings.csv: a,1\nb,2\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(in.resolve(".done/readings.csv")));
        assertThat(in.resolve("part.tmp")).exists();
    }

    @Test
    void aProducerAppendsToOneFile() throws Exception {
        Path out = dir.resolve("log");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("file:" + out + "?fileName=events.jsonl&fileExist=Append&appendChars=\\n");
            }
        });
        camel.start();

        camel.createProducerTemplate().sendBody("direct:in", "{\"n\":1}");
        camel.createProducerTemplate().sendBody("direct:in", "{\"n\":2}");

        assertThat(Files.readString(out.resolve("events.jsonl"))).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
    }

    /** The gateway's samples/routes/file-drop.camel.yaml with its placeholders set ({@code outpost:} as seda). */
    @Test
    void theSampleSendsDroppedFilesAndArchivesItsInput() throws Exception {
        Path sample = Path.of("../../../karaf-distribution/gateway/src/main/resources/samples/routes/"
                + "file-drop.camel.yaml").toAbsolutePath().normalize();
        Path in = Files.createDirectories(dir.resolve("inbox"));
        Path out = dir.resolve("outbox");
        Properties config = new Properties();
        config.put("file.inbox", in.toString());
        config.put("file.outbox", out.toString());
        config.put("file.delay", "100");
        camel.getPropertiesComponent().setInitialProperties(config);
        camel.addComponent("outpost", new SedaComponent());
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + sample));
        camel.start();

        Files.writeString(in.resolve("skipped.tmp"), "not yet");
        Files.writeString(in.resolve("reading.json"), "{\"t\":21.5}");
        ConsumerTemplate files = camel.createConsumerTemplate();
        Exchange file = files.receive("outpost:output/files", 10_000);
        assertThat(file).isNotNull();
        assertThat(file.getMessage().getBody(String.class)).isEqualTo("{\"t\":21.5}");
        assertThat(file.getMessage().getHeader("fileName")).isEqualTo("reading.json");
        assertThat(file.getMessage().getHeaders().keySet()).noneMatch(h -> h.startsWith("Camel"));
        // The file is moved once the exchange completes (for outpost:output, once the message is stored).
        assertThat(in.resolve(".done/reading.json")).doesNotExist();
        files.doneUoW(file);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(in.resolve(".done/reading.json")));
        assertThat(in.resolve("skipped.tmp")).exists();

        camel.createProducerTemplate().sendBody("outpost:input/archive", "{\"n\":1}");
        camel.createProducerTemplate().sendBody("outpost:input/archive", "{\"n\":2}");
        Path day = out.resolve(LocalDate.now() + ".jsonl");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.exists(day) ? Files.readString(day)
                : String.valueOf(Files.exists(out) ? Files.list(out).toList() : List.of()))
                .isEqualTo("{\"n\":1}\n{\"n\":2}\n"));
    }
}
