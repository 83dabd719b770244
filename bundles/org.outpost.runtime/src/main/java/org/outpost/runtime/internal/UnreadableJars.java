/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.io.File;
import java.io.IOException;
import java.util.jar.JarFile;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code .jar} in {@code deploy/} that is no jar (a truncated copy, a download that was an error page) left no trace
 * at all: fileinstall passed over it. This installer claims such files and says what is wrong and what to do.
 */
@Component(service = ArtifactInstaller.class)
public final class UnreadableJars implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableJars.class);

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && artifact.isFile() && problem(artifact) != null;
    }

    @Override
    public void install(File artifact) {
        LOG.warn("{} is not a module or bundle: {}. Nothing was installed; replace it with the module's jar.",
                artifact, problem(artifact));
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        LOG.info("{} was removed from deploy/ (it had not been installed)", artifact);
    }

    /** @return why the file cannot be read as a jar, or null if it can */
    static String problem(File artifact) {
        try (JarFile jar = new JarFile(artifact)) {
            return jar.getManifest() == null ? "the jar has no META-INF/MANIFEST.MF" : null;
        } catch (IOException e) {
            return "it cannot be read as a jar (zip) file (" + e.getMessage() + ")";
        }
    }
}
