/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.deployment.internal.Specs.running;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.outpost.api.module.EdgeModule;
import org.outpost.manifest.ManifestException;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class BundleKindTest {

    private static final String BROKER = "mvn:org.outpost/org.outpost.broker/1.0";
    private static final String LOCATION_PATH = "modulesContent.$edgeAgent.properties.desired.modules.%s"
            + ".settings.location";

    @TempDir
    Path data;

    private final FakeFramework framework = new FakeFramework();
    private final ModuleSpec pump = running("pump", ModuleType.BUNDLE);

    private BundleKind kind() {
        return new BundleKind(framework.context(), null, new Installed(data.resolve("installed-bundles")),
                new Downloads(data.resolve("downloads"), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    }

    private static ModuleSpec at(String name, String location) {
        ModuleSpec s = running(name, ModuleType.BUNDLE);
        return new ModuleSpec(s.name(), s.type(), s.declaredType(), s.version(), s.status(), s.restartPolicy(),
                s.startupOrder(), s.env(), location, s.feature(), s.featureVersion(), s.command(), s.image(),
                s.createOptions(), s.configPid(), s.healthCheck());
    }

    @Test
    void aDeploymentNamingABundleItDidNotInstallIsRefusedAndTheBundleIsLeftAlone() throws Exception {
        Bundle broker = framework.installByHand(BROKER, "org.outpost.broker", null);
        ModuleSpec typo = at("broker", BROKER);
        BundleKind kind = kind();

        assertThatThrownBy(() -> kind.check(typo)).isInstanceOfSatisfying(ManifestException.class, e -> {
            assertThat(e.code()).isEqualTo(400);
            assertThat(e.path()).isEqualTo(LOCATION_PATH.formatted("broker"));
            assertThat(e.reason()).isEqualTo("bundle 1 (org.outpost.broker) is installed at " + BROKER + ", but not"
                    + " by a deployment, and a deployment touches only bundles it installed: name the module's own"
                    + " bundle, or uninstall that one first if it is to be replaced");
        });
        assertThatThrownBy(() -> kind.install(typo)).hasMessageContaining("but not by a deployment");
        kind.remove(typo);
        assertThatThrownBy(() -> kind.setRunning(typo, false)).hasMessageContaining("but not by a deployment");

        assertThat(framework.installed).containsEntry(BROKER, broker);
        assertThat(framework.state(broker)).isEqualTo(Bundle.ACTIVE);
        assertThat(framework.calls).isEmpty();
    }

    @Test
    void aModulesOwnBundleInstalledByHandIsTakenOverAndThenTreatedAsTheDeployments() throws Exception {
        framework.installByHand(pump.location(), "org.acme.pump", "pump");
        BundleKind kind = kind();
        assertThatThrownBy(() -> kind.check(at("valve", pump.location()))).as("under another module's name")
                .isInstanceOf(ManifestException.class);

        kind.check(pump);
        kind.install(pump);

        assertThat(new Installed(data.resolve("installed-bundles")).has(pump.location(), "1")).isTrue();
    }

    @Test
    void aBundleItInstalledThatIsNotAModuleIsUninstalledAtOnceAndForgotten() throws Exception {
        framework.publish(BROKER, "org.outpost.broker", null);

        assertThatThrownBy(() -> kind().install(at("broker", BROKER))).hasMessage("bundle " + BROKER + " has no "
                + EdgeModule.HEADER + " header: it is not a module (a module's bundle declares its id with"
                + " @EdgeModule)");

        assertThat(framework.calls).containsExactly("install " + BROKER, "uninstall " + BROKER);
        assertThat(new Installed(data.resolve("installed-bundles")).has(BROKER, "1")).isFalse();
    }

    @Test
    void aBundleWithTheSymbolicNameOfOneItDidNotInstallIsUninstalledAtOnceAndTheOtherLeftAlone() throws Exception {
        Bundle broker = framework.installByHand(BROKER, "org.outpost.broker", null);
        framework.publish("mvn:org.acme/evil/1.0", "org.outpost.broker", "evil");

        assertThatThrownBy(() -> kind().install(at("evil", "mvn:org.acme/evil/1.0"))).hasMessage("bundle"
                + " mvn:org.acme/evil/1.0 has the symbolic name org.outpost.broker of bundle 1 (" + BROKER + "), which"
                + " no deployment installed; a deployment touches only bundles it installed");

        assertThat(framework.installed).containsOnlyKeys(BROKER);
        assertThat(framework.state(broker)).isEqualTo(Bundle.ACTIVE);
    }

    @Test
    void aModuleIdThatDoesNotMatchUninstallsOnlyWhatWasJustInstalled() throws Exception {
        framework.publish(pump.location(), "org.acme.pump", "pump");
        BundleKind kind = kind();
        kind.install(pump);

        assertThatThrownBy(() -> kind.install(at("valve", pump.location()))).hasMessageContaining("declares module"
                + " id 'pump' (Outpost-Module), but the deployment names it 'valve'");
        kind.remove(at("valve", pump.location()));

        assertThat(framework.installed).containsKey(pump.location());
        assertThat(framework.calls).containsExactly("install " + pump.location(), "start " + pump.location());
    }

    @Test
    void whatItInstalledItStillRemovesAfterARestart() throws Exception {
        framework.publish(pump.location(), "org.acme.pump", "pump");
        assertThat(kind().install(pump)).isTrue();

        BundleKind afterRestart = kind();
        afterRestart.check(pump);
        afterRestart.remove(pump);

        assertThat(framework.installed).isEmpty();
        assertThat(framework.calls).containsExactly("install " + pump.location(), "start " + pump.location(),
                "uninstall " + pump.location());
    }

    @Test
    void aBundleReplacedOutsideTheDeploymentIsDeadAndLeftAlone() throws Exception {
        framework.publish(pump.location(), "org.acme.pump", "pump");
        BundleKind kind = kind();
        kind.install(pump);
        framework.installed.get(pump.location()).uninstall();
        Bundle replaced = framework.installByHand(pump.location(), "org.acme.pump", "pump");

        assertThat(kind.deadReason(pump)).isEqualTo("its bundle " + pump.location() + " was replaced outside the"
                + " deployment (bundle 2 was not installed by it)");
        assertThatThrownBy(() -> kind.restart(pump)).hasMessageContaining("but not by a deployment");
        kind.remove(pump);

        assertThat(framework.installed).containsEntry(pump.location(), replaced);
    }

    @Test
    void theRunningDeploymentsBundlesAreTakenAsItsOwnWhenTheGatewayStarts() throws Exception {
        framework.installByHand(pump.location(), "org.acme.pump", "pump");
        framework.installByHand(BROKER, "org.outpost.broker", null);
        BundleKind kind = kind();

        assertThat(kind.resume(pump)).isFalse();
        kind.resume(at("broker", BROKER));

        kind.check(pump);
        assertThatThrownBy(() -> kind.check(at("broker", BROKER))).isInstanceOf(ManifestException.class);
        kind.remove(pump);
        assertThat(framework.installed).containsOnlyKeys(BROKER);
    }

    @Test
    void aFileBundleThatIsNotTheModuleIsRefusedBeforeItIsInstalled() throws Exception {
        Path notAModule = jar("broker.jar", "org.outpost.broker", null);
        Path other = jar("filter.jar", "org.acme.filter", "filter");
        framework.installByHand(BROKER, "org.outpost.broker", null);
        Path clash = jar("clash.jar", "org.outpost.broker;singleton:=true", "clash");
        BundleKind kind = kind();

        assertThatThrownBy(() -> kind.check(at("broker", notAModule.toUri().toString()))).isInstanceOfSatisfying(
                ManifestException.class, e -> {
                    assertThat(e.path()).isEqualTo(LOCATION_PATH.formatted("broker"));
                    assertThat(e.reason()).contains("has no Outpost-Module header: it is not a module");
                });
        assertThatThrownBy(() -> kind.check(at("pump", other.toUri().toString()))).hasMessageContaining(
                "declares module id 'filter'");
        assertThatThrownBy(() -> kind.check(at("clash", clash.toUri().toString()))).hasMessageContaining(
                "has the symbolic name org.outpost.broker of bundle 1");
        kind.check(at("filter", other.toUri().toString()));
        assertThat(framework.calls).isEmpty();
    }

    @Test
    void aBundleThatIsNotInstalledIsDeadAndCannotBeStartedOrStopped() {
        BundleKind kind = kind();

        assertThat(kind.deadReason(pump)).isEqualTo("its bundle mvn:org.acme/pump/1.0 is not installed (uninstalled"
                + " outside the deployment?)");
        assertThat(kind.settling(pump)).isFalse();
        assertThat(kind.reach(pump)).isEmpty();
        assertThatThrownBy(() -> kind.setRunning(pump, true))
                .hasMessage("module pump: bundle mvn:org.acme/pump/1.0 is not installed");
    }

    private Path jar(String name, String symbolicName, String moduleId) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        if (moduleId != null) {
            m.getMainAttributes().putValue(EdgeModule.HEADER, moduleId);
        }
        Path file = Files.createDirectories(data.resolve("modules")).resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        return file;
    }

    @Test
    void anHttpsBundleWhoseRepositoryNeverAnswersFailsItsInstallNamingTheTimeoutAndInstallsNothing()
            throws Exception {
        java.util.concurrent.CountDownLatch hangUp = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            try {
                hangUp.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            String location = "http://127.0.0.1:" + server.getAddress().getPort() + "/pump.jar";
            framework.publish(location, "org.acme.pump", "pump");

            assertThatThrownBy(() -> kind().install(at("pump", location))).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("downloading " + location + " timed out: the server sent nothing for 1 s"
                            + " (download.read.timeout.seconds");
            assertThat(framework.calls).isEmpty();
            assertThat(framework.installed).isEmpty();
        } finally {
            hangUp.countDown();
            server.stop(0);
        }
    }
}
