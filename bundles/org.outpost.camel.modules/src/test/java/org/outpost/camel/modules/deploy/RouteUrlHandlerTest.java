/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.camel.modules.api.RouteBundle;

class RouteUrlHandlerTest {

    @TempDir
    Path deploy;

    /** An {@code outpost-routes:} URL as the framework makes it: the route file's URL is its path. */
    private static URL routesUrl(Path file) throws Exception {
        return new URL(RouteUrlHandler.PROTOCOL, null, -1, file.toUri().toURL().toString(), new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) {
                throw new UnsupportedOperationException();
            }
        });
    }

    @Test
    void aRouteFilesUrlOpensAsTheRouteModulesBundleNamedAfterTheFile() throws Exception {
        Path file = deploy.resolve("opcua-reader.camel.yaml");
        Files.writeString(file, "- from:\n    uri: \"timer:t?period={{period:100}}\"\n");
        URL url = routesUrl(file);
        assertThat(url.toString()).isEqualTo("outpost-routes:" + file.toUri().toURL());

        byte[] bundle;
        try (InputStream in = new RouteUrlHandler().openConnection(url).getInputStream()) {
            bundle = in.readAllBytes();
        }

        Jars jar = Jars.read(bundle);
        assertThat(jar.header(RouteBundle.MODULE_HEADER)).isEqualTo("opcua-reader");
        assertThat(jar.header("Bundle-SymbolicName")).isEqualTo("outpost.routes.opcua-reader");
        assertThat(jar.header(RouteBundle.SOURCE_HEADER)).isEqualTo(file.toUri().toURL().toString());
        assertThat(jar.text("routes/opcua-reader.camel.yaml")).isEqualTo(Files.readString(file));
        assertThat(jar.entries()).containsKey("OSGI-INF/metatype/org.outpost.module.opcua-reader.xml");
        assertThat(jar.text(RouteBundle.COMPONENT_XML_PATH)).isEqualTo(RouteBundle.componentXml("opcua-reader",
                "org.outpost.module.opcua-reader"));
        // The same file gives the same bundle, so fileinstall does not take it for a new one.
        assertThat(RouteUrlHandler.bundleOf(file.toUri().toURL())).isEqualTo(bundle);
    }

    @Test
    void anXmlRouteFileKeepsItsEndingInLowerCase() throws Exception {
        Path file = deploy.resolve("Modbus_1.CAMEL.XML");
        Files.writeString(file, "<routes xmlns=\"http://camel.apache.org/schema/xml-io\"/>");

        Jars jar = Jars.read(RouteUrlHandler.bundleOf(file.toUri().toURL()));

        assertThat(jar.header(RouteBundle.MODULE_HEADER)).isEqualTo("Modbus_1");
        assertThat(jar.header(RouteBundle.ROUTES_HEADER)).isEqualTo("routes/Modbus_1.camel.xml");
    }

    @Test
    void aFileNamedWithNoModuleIdOrMissingIsRefusedSayingWhy() throws Exception {
        Path spaced = deploy.resolve("opcua reader.camel.yaml");
        Files.writeString(spaced, "[]");

        assertThatThrownBy(() -> RouteUrlHandler.bundleOf(spaced.toUri().toURL())).isInstanceOf(IOException.class)
                .hasMessageContaining("'opcua reader' is not a module id").hasMessageContaining(
                        "rename the file, e.g. to opcua-reader.camel.yaml");
        assertThatThrownBy(() -> new RouteUrlHandler().openConnection(routesUrl(deploy.resolve("gone.camel.yaml")))
                .getInputStream()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> RouteUrlHandler.bundleOf(deploy.resolve("x.yaml").toUri().toURL()))
                .hasMessageContaining("is not a route file");
    }

    @Test
    void theTransformerTakesRouteFilesAndRefusesAModuleIdAnotherBundleHas() throws Exception {
        Path file = deploy.resolve("pump.camel.yml");
        Files.writeString(file, "[]");
        String location = RouteFileTransformer.location(file.toUri().toURL());
        assertThat(location).isEqualTo("outpost-routes:" + file.toUri().toURL());

        RouteFileTransformer alone = new RouteFileTransformer(Stubs.context(List.of(
                Stubs.bundle(7, location, "outpost.routes.pump", "pump"))), null);
        assertThat(alone.canHandle(file.toFile())).isTrue();
        assertThat(alone.canHandle(deploy.resolve("pump.jar").toFile())).isFalse();
        assertThat(alone.refusal(file, location)).isNull();

        RouteFileTransformer clash = new RouteFileTransformer(Stubs.context(List.of(
                Stubs.bundle(9, "mvn:org.acme/pump/1.0", "org.acme.pump", "pump"))), null);
        assertThat(clash.refusal(file, location)).startsWith("module pump is bundle 9 already"
                + " (mvn:org.acme/pump/1.0): a module id is unique on the gateway");
        assertThat(clash.refusal(deploy.resolve("a:b.camel.yaml"), location)).contains("is not a module id");
    }
}
