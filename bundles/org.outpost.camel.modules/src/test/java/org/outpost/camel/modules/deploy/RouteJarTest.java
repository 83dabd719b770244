/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.outpost.camel.modules.api.RouteBundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RouteJarTest {

    private static final String ROUTES = """
            - route:
                from:
                  uri: "timer:tick?period={{period:500}}"
                  steps:
                    - filter:
                        simple: "${body} > {{threshold:1.5}}"
                    - to: "{{target}}"
                    - setHeader:
                        name: tag
                        constant: "a,b & <c>"
                    - to: "log:x?show={{verbose:false}}&tag={{tag:a,b & <c>}}"
            """;

    private static byte[] build() {
        return RouteJar.build("opcua-reader", "org.outpost.module.opcua-reader", "1.0.0",
                "file:/opt/outpost/deploy/opcua-reader.camel.yaml", List.of(new RouteJar.RouteFile(
                        "opcua-reader.camel.yaml", ROUTES.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void theBundleHasTheContractsHeadersTheRoutesAndTheComponent() {
        Jars jar = Jars.read(build());

        assertThat(jar.header("Bundle-ManifestVersion")).isEqualTo("2");
        assertThat(jar.header("Bundle-SymbolicName")).isEqualTo("outpost.routes.opcua-reader");
        assertThat(jar.header("Bundle-Version")).isEqualTo("1.0.0");
        assertThat(jar.header(RouteBundle.MODULE_HEADER)).isEqualTo("opcua-reader");
        assertThat(jar.header(RouteBundle.ROUTES_HEADER)).isEqualTo("routes/opcua-reader.camel.yaml");
        assertThat(jar.header(RouteBundle.SOURCE_HEADER)).isEqualTo("file:/opt/outpost/deploy/opcua-reader.camel.yaml");
        assertThat(jar.header("Import-Package")).isEqualTo(RouteBundle.COMPONENT_PACKAGE);
        assertThat(jar.header("DynamicImport-Package")).isEqualTo("*");
        assertThat(jar.header("Service-Component")).isEqualTo(RouteBundle.COMPONENT_XML_PATH);

        // JarInputStream reads META-INF/ and the manifest first (they are the first two entries) and gives the rest.
        assertThat(jar.entries().keySet()).containsExactly("OSGI-INF/", RouteBundle.COMPONENT_XML_PATH,
                "OSGI-INF/metatype/", "OSGI-INF/metatype/org.outpost.module.opcua-reader.xml", "routes/",
                "routes/opcua-reader.camel.yaml");
        assertThat(jar.text("routes/opcua-reader.camel.yaml")).isEqualTo(ROUTES);
        assertThat(jar.text(RouteBundle.COMPONENT_XML_PATH)).isEqualTo(RouteBundle.componentXml("opcua-reader",
                "org.outpost.module.opcua-reader"));

        Element component = jar.xml(RouteBundle.COMPONENT_XML_PATH).getDocumentElement();
        assertThat(component.getLocalName()).isEqualTo("component");
        assertThat(component.getAttribute("configuration-pid")).isEqualTo("org.outpost.module.opcua-reader");
    }

    @Test
    void theMetatypeDefinitionTypesEachPlaceholderByItsDefault() {
        Document metatype = Jars.read(build()).xml("OSGI-INF/metatype/org.outpost.module.opcua-reader.xml");

        Element ocd = (Element) metatype.getElementsByTagName("OCD").item(0);
        assertThat(ocd.getAttribute("id")).isEqualTo("org.outpost.module.opcua-reader");
        List<String> ads = new ArrayList<>();
        NodeList list = ocd.getElementsByTagName("AD");
        for (int i = 0; i < list.getLength(); i++) {
            Element ad = (Element) list.item(i);
            ads.add(ad.getAttribute("id") + " " + ad.getAttribute("type") + " required=" + ad.getAttribute("required")
                    + " default=" + ad.getAttribute("default"));
        }
        assertThat(ads).containsExactly("period Long required=false default=500",
                "threshold Double required=false default=1.5", "target String required=true default=",
                "verbose Boolean required=false default=false",
                "tag String required=false default=a\\,b & <c>");
        Element designate = (Element) metatype.getElementsByTagName("Designate").item(0);
        assertThat(designate.getAttribute("pid")).isEqualTo("org.outpost.module.opcua-reader");
        assertThat(((Element) designate.getElementsByTagName("Object").item(0)).getAttribute("ocdref"))
                .isEqualTo("org.outpost.module.opcua-reader");
        assertThat(metatype.getDocumentElement().getNamespaceURI())
                .isEqualTo("http://www.osgi.org/xmlns/metatype/v1.4.0");
    }

    @Test
    void theSameRoutesGiveTheSameBytesAndOtherRoutesOthers() throws Exception {
        long second = System.currentTimeMillis() / 1000;
        byte[] first = build();
        // A jar stamped with the time would differ once the clock's second (zip times) has moved on.
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> System.currentTimeMillis() / 1000 > second);
        assertThat(build()).isEqualTo(first);
        assertThat(RouteJar.build("opcua-reader", "org.outpost.module.opcua-reader", "1.0.0",
                "file:/opt/outpost/deploy/opcua-reader.camel.yaml", List.of(new RouteJar.RouteFile(
                        "opcua-reader.camel.yaml", (ROUTES + "\n").getBytes(StandardCharsets.UTF_8)))))
                .isNotEqualTo(first);
    }

    @Test
    void routesWithoutPlaceholdersHaveNoMetatypeAndSeveralFilesAreListed() {
        Jars jar = Jars.read(RouteJar.build("two", "org.acme.two", "2.1.0", "mvn:org.acme/a/1/xml,file:/b.yaml",
                List.of(new RouteJar.RouteFile("a.xml", "<routes/>".getBytes(StandardCharsets.UTF_8)),
                        new RouteJar.RouteFile("b.yaml", "[]".getBytes(StandardCharsets.UTF_8)))));

        assertThat(jar.header(RouteBundle.ROUTES_HEADER)).isEqualTo("routes/a.xml,routes/b.yaml");
        assertThat(jar.entries().keySet()).noneMatch(e -> e.startsWith("OSGI-INF/metatype"));
        assertThat(jar.text(RouteBundle.COMPONENT_XML_PATH)).contains("configuration-pid=\"org.acme.two\"");
    }

    @Test
    void aBadModuleIdOrFileNameIsRefused() {
        byte[] none = new byte[0];
        assertThatThrownBy(() -> RouteJar.build("a b", "p", "1.0.0", "s", List.of(new RouteJar.RouteFile("a.yaml",
                none)))).hasMessageContaining("module id 'a b' is not valid");
        assertThatThrownBy(() -> RouteJar.build("a", "p", "1.0.0", "s", List.of(new RouteJar.RouteFile("a.json",
                none)))).hasMessageContaining("route file name 'a.json'");
        assertThatThrownBy(() -> RouteJar.build("a", "p", "1.0.0", "s", List.of(new RouteJar.RouteFile("a.yaml",
                none), new RouteJar.RouteFile("a.yaml", none)))).hasMessageContaining("not a distinct");
    }
}
