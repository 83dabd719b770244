/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWiring;
import org.outpost.api.message.Message;
import org.outpost.api.module.AsyncInputHandler;
import org.outpost.camel.internal.Contexts;
import org.outpost.camel.modules.api.RouteBundle;
import org.outpost.camel.modules.component.FakeModuleClient;

/**
 * RouteModule as Declarative Services drives it, on a route bundle made of its headers and entries (the framework's
 * objects are stand-ins that keep what is registered).
 */
class RouteModuleTest {

    @TempDir
    Path dir;

    private final FakeModuleClient client = new FakeModuleClient("relay");
    private final List<Object[]> registered = new CopyOnWriteArrayList<>();
    private final List<Object> unregistered = new CopyOnWriteArrayList<>();
    private RouteModule module;

    @AfterEach
    void deactivate() {
        if (module != null) {
            module.deactivate();
        }
    }

    @Test
    void runsTheRoutesTheBundleListsAndRegistersItsInputsFromTheBundle() throws Exception {
        write("routes/relay.camel.yaml", """
                - route:
                    from:
                      uri: outpost:input/in
                      steps:
                        - to: outpost:output/{{out}}
                """);
        module = newModule();
        module.activate(bundleContext("routes/relay.camel.yaml"), Map.of("out", "relayed", "service.pid", "x"));

        AsyncInputHandler input = (AsyncInputHandler) registered.get(0)[1];
        assertThat(registered.get(0)[0]).isEqualTo(AsyncInputHandler.class.getName());
        assertThat(((Dictionary<?, ?>) registered.get(0)[2]).get(AsyncInputHandler.INPUT)).isEqualTo("in");
        assertThat(((Dictionary<?, ?>) registered.get(0)[2]).get(AsyncInputHandler.IN_FLIGHT))
                .isEqualTo(AsyncInputHandler.DEFAULT_IN_FLIGHT);
        input.onMessage(Message.builder().body("hi").build()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(client.bodies("relayed")).containsExactly("hi");
        assertThat(module.componentNames()).contains("outpost");

        module.modified(Map.of("out", "other"));
        await().atMost(Duration.ofSeconds(5)).until(() -> unregistered.size() == 1 && registered.size() == 2);
        ((AsyncInputHandler) registered.get(1)[1]).onMessage(Message.builder().body("again").build())
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(client.bodies("other")).containsExactly("again");
    }

    @Test
    void aFileTheHeaderNamesButTheBundleLacksFailsTheActivation() throws Exception {
        module = newModule();
        assertThatThrownBy(() -> module.activate(bundleContext("routes/none.camel.yaml"), Map.of()))
                .isInstanceOf(RouteModuleException.class)
                .hasMessage("routes/none.camel.yaml: not in bundle outpost.routes.relay (its Outpost-Camel-Routes"
                        + " header names it)");
        module = null;
    }

    @Test
    void theComponentDescriptionNamesThisClassItsFieldsAndItsLifecycleMethods() throws Exception {
        String xml = RouteBundle.componentXml("relay", "org.outpost.module.relay");
        assertThat(xml).contains("class=\"" + RouteModule.class.getName() + "\"");
        java.util.regex.Matcher fields = java.util.regex.Pattern.compile("field=\"(\\w+)\"").matcher(xml);
        int n = 0;
        while (fields.find()) {
            Field f = RouteModule.class.getDeclaredField(fields.group(1));
            assertThat(java.lang.reflect.Modifier.isFinal(f.getModifiers())).isFalse();
            n++;
        }
        assertThat(n).isEqualTo(3);
        assertThat(java.lang.reflect.Modifier.isVolatile(RouteModule.class.getDeclaredField("twin").getModifiers()))
                .as("a dynamic field reference is volatile").isTrue();
        RouteModule.class.getDeclaredMethod("activate", BundleContext.class, Map.class);
        RouteModule.class.getDeclaredMethod("modified", Map.class);
        RouteModule.class.getDeclaredMethod("deactivate");
        RouteModule.class.getConstructor();
    }

    private RouteModule newModule() throws Exception {
        RouteModule m = new RouteModule();
        set(m, "client", client);
        set(m, "contexts", new Contexts(null));
        return m;
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = RouteModule.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private void write(String path, String text) throws Exception {
        Path f = dir.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    private BundleContext bundleContext(String routes) {
        Hashtable<String, String> headers = new Hashtable<>();
        headers.put(RouteBundle.MODULE_HEADER, "relay");
        headers.put(RouteBundle.ROUTES_HEADER, routes);
        BundleWiring wiring = proxy(BundleWiring.class, (name, args) -> name.equals("getClassLoader")
                ? getClass().getClassLoader() : null);
        Bundle[] bundle = new Bundle[1];
        bundle[0] = proxy(Bundle.class, (name, args) -> switch (name) {
            case "getHeaders" -> headers;
            case "getSymbolicName" -> RouteBundle.SYMBOLIC_NAME_PREFIX + "relay";
            case "adapt" -> args[0] == BundleWiring.class ? wiring : null;
            case "getEntry" -> entry((String) args[0]);
            case "getState" -> Bundle.ACTIVE;
            default -> null;
        });
        return proxy(BundleContext.class, (name, args) -> switch (name) {
            case "getBundle" -> bundle[0];
            case "registerService" -> {
                registered.add(new Object[] {args[0] instanceof Class<?> c ? c.getName() : args[0], args[1],
                        args[2]});
                Object service = args[1];
                yield proxy(ServiceRegistration.class, (n, a) -> {
                    if (n.equals("unregister")) {
                        unregistered.add(service);
                    }
                    return null;
                });
            }
            default -> null;
        });
    }

    private URL entry(String path) {
        try {
            Path f = dir.resolve(path);
            return Files.exists(f) ? f.toUri().toURL() : null;
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(RouteModuleTest.class.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> type.getSimpleName();
                    default -> answer.answer(m.getName(), args);
                });
    }
}
