/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;
import org.outpost.camel.modules.api.RouteBundle;
import org.outpost.camel.modules.deploy.Jars;
import org.outpost.camel.modules.deploy.RouteJar;
import org.outpost.camel.modules.deploy.Stubs;
import org.outpost.deployment.spi.Undo;
import org.outpost.manifest.DeploymentManifest;
import org.outpost.manifest.DesiredStatus;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;

@SuppressWarnings("unchecked")
class CamelKindTest {

    private static final String ROUTES = """
            - from:
                uri: "timer:t?period={{period:1000}}"
                steps:
                  - filter:
                      simple: "${body} > {{threshold:1.5}}"
                  - to: "outpost:output/out"
            """;

    /** Bundles by location, their bytes and what was done to them. */
    private final Map<String, Bundle> bundles = new LinkedHashMap<>();
    private final Map<String, byte[]> contents = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, ModuleInfo> modules = new LinkedHashMap<>();
    private long nextId = 10;

    private final BundleContext context = Stubs.stub(BundleContext.class, (m, a) -> switch (m) {
        case "getBundles" -> bundles.values().toArray(new Bundle[0]);
        case "getBundle" -> bundles.get((String) a[0]);
        case "installBundle" -> {
            calls.add("install " + a[0]);
            yield add((String) a[0], read((InputStream) a[1]));
        }
        default -> throw new UnsupportedOperationException(m);
    });

    private final EdgeRuntime runtime = Stubs.stub(EdgeRuntime.class, (m, a) -> switch (m) {
        case "module" -> Optional.ofNullable(modules.get((String) a[0]));
        default -> throw new UnsupportedOperationException(m);
    });

    private final CamelKind kind = new CamelKind(context, runtime, new RouteSources(), null);

    private static byte[] read(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Bundle add(String location, byte[] content) {
        long id = nextId++;
        contents.put(location, content);
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(RouteBundle.MODULE_HEADER, Jars.read(content).header(RouteBundle.MODULE_HEADER));
        Bundle b = Stubs.stub(Bundle.class, (m, a) -> switch (m) {
            case "getBundleId" -> id;
            case "getLocation" -> location;
            case "getSymbolicName" -> Jars.read(contents.get(location)).header("Bundle-SymbolicName");
            case "getHeaders" -> headers;
            case "getState" -> Bundle.ACTIVE;
            case "start", "stop", "uninstall" -> {
                calls.add(m + " " + location);
                if (m.equals("uninstall")) {
                    bundles.remove(location);
                }
                yield null;
            }
            case "update" -> {
                calls.add("update " + location);
                contents.put(location, read((InputStream) a[0]));
                yield null;
            }
            default -> throw new UnsupportedOperationException(m);
        });
        bundles.put(location, b);
        return b;
    }

    private static DeploymentManifest deployment(ModuleSpec spec, String desired) {
        return new DeploymentManifest("1.1", List.of(), Map.of(spec.name(), spec), null, desired == null ? Map.of()
                : Map.of(spec.name(), desired));
    }

    @Test
    void anInlineModuleIsPreparedCheckedAndInstalledAsItsRouteBundle() throws Exception {
        ModuleSpec spec = Specs.camel("reader", List.of(), ROUTES);

        kind.check(spec);
        assertThat(kind.prepare(List.of(spec), deployment(spec, "{\"threshold\": 2, \"period\": 50}"), null))
                .isNull();
        assertThat(kind.install(spec)).isTrue();

        assertThat(calls).containsExactly("install outpost-camel-module:reader", "start outpost-camel-module:reader");
        Jars jar = Jars.read(contents.get("outpost-camel-module:reader"));
        assertThat(jar.header(RouteBundle.MODULE_HEADER)).isEqualTo("reader");
        assertThat(jar.header("Bundle-Version")).isEqualTo("1.2.0");
        assertThat(jar.header(RouteBundle.SOURCE_HEADER)).isEqualTo("deployment (inline yaml)");
        assertThat(jar.text("routes/reader.camel.yaml")).isEqualTo(ROUTES);
        assertThat(jar.text(RouteBundle.COMPONENT_XML_PATH)).contains("configuration-pid=\"org.outpost.module.reader\"");
        assertThat(jar.entries()).containsKey("OSGI-INF/metatype/org.outpost.module.reader.xml");
    }

    @Test
    void desiredPropertiesOfTheWrongTypeAreRefusedWithTheirPathBeforeAnythingChanges() throws Exception {
        ModuleSpec spec = Specs.camel("reader", List.of(), ROUTES);

        assertThat(kind.prepare(List.of(spec), deployment(spec, "{\"threshold\": \"x\"}"), null))
                .startsWith("400 modulesContent.reader.properties.desired.threshold: expected a number, got \"x\"");
        assertThat(kind.prepare(List.of(spec), deployment(spec, "{\"period\": true}"), null))
                .startsWith("400 modulesContent.reader.properties.desired.period: expected an integer, got true");
        assertThat(calls).isEmpty();
        // Without the module's twin section (a cloud deployment), the configuration holds what it holds.
        assertThat(kind.prepare(List.of(spec), deployment(spec, null), null)).isNull();
    }

    @Test
    void aRouteLocationThatCannotBeReadIsRefusedWithItsPath() {
        ModuleSpec spec = Specs.camel("reader", List.of("file:/nonexistent/reader.camel.yaml"), null);

        assertThat(kind.prepare(List.of(spec), deployment(spec, null), null)).startsWith("400 modulesContent.$edgeAgent"
                + ".properties.desired.modules.reader.settings.routes: route file file:/nonexistent/reader.camel.yaml"
                + " cannot be read");
    }

    @Test
    void aModuleIdAnotherBundleHasIsRefusedUnlessTheDeploymentRunsIt() throws Exception {
        // A route file in deploy/ is module reader already.
        add("outpost-routes:file:/opt/outpost/deploy/reader.camel.yaml", RouteJar.build("reader",
                "org.outpost.module.reader", "1.0.0", "f", List.of(new RouteJar.RouteFile("reader.camel.yaml",
                        new byte[0]))));
        ModuleSpec spec = Specs.camel("reader", List.of(), ROUTES);

        assertThatThrownBy(() -> kind.check(spec)).isInstanceOf(ManifestException.class).hasMessageStartingWith(
                "400 modulesContent.$edgeAgent.properties.desired.modules.reader: module reader is bundle 10 already"
                        + " (outpost-routes:file:/opt/outpost/deploy/reader.camel.yaml)");

        modules.put("reader", new ModuleInfo("reader", "bundle", ModuleState.RUNNING, 10, "1.0.0", true, 0, 0, ""));
        kind.check(spec);
    }

    @Test
    void theDeploymentsConfigurationIsGivenBeforeTheBundleStartsAndRestoredWhenUndone() throws Exception {
        Map<String, Dictionary<String, Object>> configurations = new LinkedHashMap<>();
        ConfigurationAdmin cm = Stubs.stub(ConfigurationAdmin.class, (m, a) -> switch (m) {
            case "getConfiguration" -> {
                String pid = (String) a[0];
                yield Stubs.stub(Configuration.class, (cm2, a2) -> switch (cm2) {
                    case "getProperties" -> configurations.get(pid);
                    case "update" -> {
                        calls.add("configure " + pid + " " + a2[0]);
                        configurations.put(pid, (Dictionary<String, Object>) a2[0]);
                        yield null;
                    }
                    case "delete" -> {
                        calls.add("delete " + pid);
                        configurations.remove(pid);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(cm2);
                });
            }
            default -> throw new UnsupportedOperationException(m);
        });
        CamelKind configuring = new CamelKind(context, runtime, new RouteSources(), cm);
        ModuleSpec spec = Specs.camel("reader", List.of(), ROUTES);
        List<Undo.Action> undo = new ArrayList<>();

        assertThat(configuring.prepare(List.of(spec), deployment(spec, "{\"threshold\": 2.5}"),
                (what, action) -> undo.add(action))).isNull();
        assertThat(calls).isEmpty();
        configuring.install(spec);

        assertThat(calls).containsExactly("configure org.outpost.module.reader {threshold=2.5}",
                "install outpost-camel-module:reader", "start outpost-camel-module:reader");
        // As the deployment service makes it: it finds it so and leaves it.
        assertThat(FirstConfiguration.same(configurations.get("org.outpost.module.reader"),
                FirstConfiguration.of(spec, "{\"threshold\": 2.5}"))).isTrue();

        for (Undo.Action a : undo) {
            a.run();
        }
        assertThat(configurations).isEmpty();
        assertThat(calls).endsWith("delete org.outpost.module.reader");
    }

    @Test
    void removingUninstallsAndRestartingAGoneModuleInstallsItAgain() throws Exception {
        ModuleSpec spec = Specs.camel("reader", List.of(), ROUTES, DesiredStatus.STOPPED);
        kind.install(Specs.camel("reader", List.of(), ROUTES));
        kind.remove(spec);
        assertThat(bundles).isEmpty();

        assertThat(kind.restart(Specs.camel("reader", List.of(), ROUTES))).isTrue();
        assertThat(calls).containsExactly("install outpost-camel-module:reader", "start outpost-camel-module:reader",
                "uninstall outpost-camel-module:reader", "install outpost-camel-module:reader",
                "start outpost-camel-module:reader");
        assertThat(kind.resume(spec)).isFalse();
    }
}
