/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.io.File;
import java.io.IOException;
import java.util.Optional;
import java.util.jar.JarFile;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.api.runtime.ModuleInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code deploy/} away from the modules a deployment owns. A jar dropped there that declares a module the
 * running deployment has would otherwise be taken for that module's bundle by fileinstall (same symbolic name and
 * version), and deleting the jar would uninstall the deployment's module behind its back. This installer claims such
 * jars and leaves them alone, saying so in the log; jars of any other module go to fileinstall as before.
 */
@Component(service = ArtifactInstaller.class)
public final class DeploymentOwnedJars implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(DeploymentOwnedJars.class);

    private final EdgeRuntime runtime;

    @Activate
    public DeploymentOwnedJars(@Reference EdgeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean canHandle(File artifact) {
        return ownedModule(artifact).isPresent();
    }

    @Override
    public void install(File artifact) {
        ownedModule(artifact).ifPresent(m -> LOG.warn("{} holds module {}, which the deployment runs: the jar is left"
                + " alone and the deployment's module keeps running. Change the module through a deployment, or"
                + " remove it from the deployment first.", artifact, m));
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        LOG.info("{} was removed from deploy/; it had been left alone, so no module changes", artifact);
    }

    /** @return the module the jar declares, if the running deployment owns a module of that name */
    Optional<String> ownedModule(File artifact) {
        String module = declaredModule(artifact);
        if (module == null) {
            return Optional.empty();
        }
        return runtime.module(module).filter(ModuleInfo::managed).map(ModuleInfo::name);
    }

    /** @return the module id a jar's manifest declares, or null if it is not a module jar (or not a jar at all) */
    static String declaredModule(File artifact) {
        if (!artifact.getName().endsWith(".jar") || !artifact.isFile()) {
            return null;
        }
        try (JarFile jar = new JarFile(artifact)) {
            return jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue(
                    EdgeModule.HEADER);
        } catch (IOException notAJar) {
            return null;
        }
    }
}
