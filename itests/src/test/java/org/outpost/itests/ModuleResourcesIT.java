/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.outpost.api.metrics.MetricSample;
import org.outpost.api.metrics.Metrics;
import org.outpost.api.runtime.ModuleResources;
import org.outpost.api.runtime.ModuleState;
import org.outpost.api.runtime.ModuleUsage;
import org.outpost.itests.burn.Spinner;

/**
 * Per-module resource accounting in the running gateway: of two tiny bundle modules dropped into {@code deploy/}, the
 * one whose thread spins shows the CPU in its own numbers ({@link ModuleResources}, {@code edgeAgent_*} metrics,
 * {@code edge:list}) and the idle one does not. Accounting is sampled every second for the test.
 */
public class ModuleResourcesIT extends OutpostTestSupport {

    @Inject
    protected ModuleResources resources;

    @Inject
    protected Metrics metrics;

    private static Path deploy() {
        return Path.of(System.getProperty("karaf.home"), "deploy");
    }

    @Test
    public void aModuleBurningCpuShowsInItsOwnNumbersAndNotInAnothers() throws Exception {
        Configuration runtimeConfig = configurationAdmin.getConfiguration("org.outpost.runtime", null);
        Dictionary<String, Object> props = runtimeConfig.getProperties() == null ? new Hashtable<>()
                : runtimeConfig.getProperties();
        props.put("accounting.interval.seconds", "1");
        runtimeConfig.update(props);
        Path burner = deploy().resolve("burner.jar");
        Path idler = deploy().resolve("idler.jar");
        writeModule(burner, "burner", true);
        writeModule(idler, "idler", false);
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> runtime.module("burner").map(m -> m.state()
                    == ModuleState.RUNNING).orElse(false) && runtime.module("idler").map(m -> m.state()
                    == ModuleState.RUNNING).orElse(false));

            // A core busy: at least half of one core's share of the machine over a sampling interval.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                // Absent until the first sample after the module started (an assertion, so that it is waited for).
                assertThat(resources.usage("burner")).as("burner's usage").isPresent();
                ModuleUsage burning = resources.usage("burner").get();
                assertThat(burning.source()).isEqualTo(ModuleUsage.JVM);
                assertThat(burning.cpuSeconds()).isGreaterThan(2.0);
                assertThat(burning.cpuPercent()).isGreaterThan(50.0 / cores);
                assertThat(burning.threads()).isEqualTo(1);
            });
            ModuleUsage burning = resources.usage("burner").orElseThrow();
            ModuleUsage idle = resources.usage("idler").orElseThrow();
            assertThat(idle.threads()).isEqualTo(1);
            assertThat(idle.cpuSeconds()).isLessThan(burning.cpuSeconds() / 10);
            assertThat(idle.cpuPercent()).isLessThan(5.0 / cores);

            assertThat(value("edgeAgent_module_cpu_seconds_total", "burner")).isGreaterThan(2.0);
            assertThat(value("edgeAgent_module_cpu_seconds_total", "idler"))
                    .isLessThan(value("edgeAgent_module_cpu_seconds_total", "burner") / 10);
            assertThat(value("edgeAgent_used_cpu_percent", "burner")).isGreaterThan(50.0 / cores);
            assertThat(value("edgeAgent_used_memory_bytes", "host")).isPositive();
            assertThat(shell("edge:list")).containsPattern("burner\\s*\\|.*\\|\\s*running");
        } finally {
            Files.deleteIfExists(burner);
            Files.deleteIfExists(idler);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.module("burner").isEmpty());
    }

    /** @return the sample's value (a counter's name may be given back without its {@code _total}), or -1 */
    private double value(String name, String module) {
        String bare = name.replaceFirst("_total$", "");
        return metrics.samples().stream().filter(s -> (s.name().equals(name) || s.name().equals(bare))
                && module.equals(s.labels().get("module_name"))).mapToDouble(MetricSample::value).findFirst()
                .orElse(-1);
    }

    /** Writes a bundle module {@code id} whose one component is a {@link Spinner} that burns CPU or idles. */
    static void writeModule(Path jar, String id, boolean burn) throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "itest-" + id);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Outpost-Module", id);
        a.putValue("Import-Package", "org.outpost.api.module");
        a.putValue("Service-Component", "OSGI-INF/spinner.xml");
        String clazz = Spinner.class.getName().replace('.', '/') + ".class";
        // Written beside deploy/, then moved in whole: fileinstall must not pick up half a jar.
        Path tmp = jar.getParent().resolveSibling("data").resolve("itest-" + jar.getFileName());
        try (OutputStream out = Files.newOutputStream(tmp); JarOutputStream jarOut = new JarOutputStream(out,
                manifest)) {
            jarOut.putNextEntry(new JarEntry("OSGI-INF/spinner.xml"));
            jarOut.write(("<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + id + "\""
                    + " immediate=\"true\" activate=\"activate\" deactivate=\"deactivate\">"
                    + "<property name=\"burn\" type=\"Boolean\" value=\"" + burn + "\"/>"
                    + "<reference name=\"client\" interface=\"org.outpost.api.module.ModuleClient\""
                    + " bind=\"setClient\" unbind=\"unsetClient\"/>"
                    + "<implementation class=\"" + Spinner.class.getName() + "\"/></scr:component>")
                    .getBytes(StandardCharsets.UTF_8));
            jarOut.putNextEntry(new JarEntry(clazz));
            try (InputStream in = Spinner.class.getClassLoader().getResourceAsStream(clazz)) {
                in.transferTo(jarOut);
            }
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
