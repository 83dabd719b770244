/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.io.File;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.outpost.commons.DeployFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims the {@code .jar} files in {@code deploy/} that are no bundle, and the Camel route files whose name is no module
 * id ({@code opcua reader.camel.yaml}), and says why in the log; {@code edge:list} shows them too
 * ({@link DeployFolder}). Two kinds of jar were taken without a word before:
 * <ul>
 * <li>a file that is no jar at all (a truncated copy, a download that was an error page): fileinstall passed over it;
 * <li>a plain jar (no {@code Bundle-SymbolicName}): Karaf's wrap deployer turned it into a bundle with made-up headers
 * that exports all its packages and imports everything optionally, and started it. It can hold no module (that needs
 * the {@code Outpost-Module} header bnd writes), so it ran invisible to Outpost, and its exports could wire modules to
 * the wrong copy of a library. It is refused instead; {@code bundle:install -s wrap:file:...} still installs one on
 * purpose.
 * </ul>
 * fileinstall asks installers in order of service ranking: above 0, so that this one is asked before the wrap deployer
 * (ranking 0, registered at boot).
 */
@Component(service = ArtifactInstaller.class, property = Constants.SERVICE_RANKING + ":Integer=" + RefusedJars.RANKING)
public final class RefusedJars implements ArtifactInstaller {

    /** Above Karaf's wrap deployer (0). */
    static final int RANKING = 100;

    private static final Logger LOG = LoggerFactory.getLogger(RefusedJars.class);

    @Override
    public boolean canHandle(File artifact) {
        return DeployFolder.refusal(artifact.toPath()).isPresent();
    }

    @Override
    public void install(File artifact) {
        DeployFolder.refusal(artifact.toPath()).ifPresent(reason -> LOG.warn("{} was not installed: {}", artifact,
                reason));
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        LOG.info("{} was removed from deploy/ (it had not been installed)", artifact);
    }
}
