/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.camel.modules.deploy.RouteJar;

class RouteSourcesTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/routes/filter.camel.xml", ex -> {
            byte[] body = "<routes/>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", base + "/routes/filter.camel.xml");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void routesComeFromFilesAndHttpNamedAfterTheirLocation() throws Exception {
        Path file = dir.resolve("reader.camel.yaml");
        Files.writeString(file, "- from: {}");

        List<RouteJar.RouteFile> files = new RouteSources().read(Specs.camel("m", List.of(file.toUri().toString(),
                base + "/routes/filter.camel.xml"), null));

        assertThat(files).extracting(RouteJar.RouteFile::name).containsExactly("reader.camel.yaml",
                "filter.camel.xml");
        assertThat(new String(files.get(1).content(), StandardCharsets.UTF_8)).isEqualTo("<routes/>");
    }

    @Test
    void inlineRoutesAreOneFileNamedAfterTheModule() throws Exception {
        List<RouteJar.RouteFile> files = new RouteSources().read(Specs.camel("m", List.of(), "<routes/>"));

        assertThat(files).extracting(RouteJar.RouteFile::name).containsExactly("m.camel.yaml");
    }

    @Test
    void aLocationThatCannotBeReadIsNamedByItsIndex() {
        assertThatThrownBy(() -> new RouteSources().read(Specs.camel("m", List.of(base + "/routes/filter.camel.xml",
                base + "/missing"), null))).isInstanceOfSatisfying(RouteSources.SourceException.class,
                        e -> assertThat(e.index()).isEqualTo(1)).hasMessage("route file " + base + "/missing cannot"
                                + " be read: HTTP 404");
    }

    @Test
    void aRedirectIsNotFollowedButReportedWithItsTarget() {
        assertThatThrownBy(() -> new RouteSources().read(Specs.camel("m", List.of(base + "/moved"), null)))
                .isInstanceOf(RouteSources.SourceException.class)
                .hasMessage("route file " + base + "/moved cannot be read: HTTP 302: redirected to " + base
                        + "/routes/filter.camel.xml; redirects are not followed: give that location in the deployment");
    }

    @Test
    void fileNamesEndInTheirFormat() {
        assertThat(RouteSources.fileName("mvn:org.acme/reader/1.0/yaml/routes", "yaml"))
                .isEqualTo("reader-routes.camel.yaml");
        assertThat(RouteSources.fileName("https://h/x/get?id=1", "xml")).isEqualTo("get.camel.xml");
        assertThat(RouteSources.fileName("file:/opt/r/A.Camel.YAML", "xml")).isEqualTo("A.Camel.yaml");
    }
}
