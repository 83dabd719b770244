/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.operator.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.outpost.commons.GatewaySecrets;
import org.outpost.commons.SecretFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the folders that hold what others must not read the owner's alone at start, on the gateway and on the hub:
 * {@code ${karaf.data}} (the broker's journal, the hub's H2 database, twins, module identities and their keys, the REST
 * token), and the gateway's secrets folder {@code ${karaf.etc}/outpost-secrets} when it is there. A folder made
 * {@code rwx------} puts everything inside out of other users' reach, whatever the umask gave each file. Whatever was
 * narrowed is logged; a failure is logged with what to do, and nothing else stops.
 */
@Component(service = {}, immediate = true)
public final class PrivateFolders {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateFolders.class);

    @Activate
    public PrivateFolders(BundleContext context) {
        List<Path> folders = new ArrayList<>();
        String data = context.getProperty("karaf.data");
        if (data != null) {
            folders.add(Path.of(data));
        }
        String etc = context.getProperty("karaf.etc");
        if (etc != null) {
            folders.add(Path.of(etc).resolve(GatewaySecrets.DEFAULT_FILE).getParent());
            folders.add(Path.of(etc).resolve(OperatorKey.FILE));
        }
        restrict(folders);
    }

    /** Narrows each existing folder (or file) to its owner. @return those that were wider */
    static List<Path> restrict(List<Path> paths) {
        List<Path> narrowed = new ArrayList<>();
        for (Path p : paths) {
            try {
                boolean changed = Files.isDirectory(p) ? SecretFiles.restrictFolder(p)
                        : Files.isRegularFile(p) && SecretFiles.restrictFile(p);
                if (changed) {
                    narrowed.add(p);
                    LOG.info("{} was open to other users: it is now the owner's alone", p);
                }
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("Cannot make {} the owner's alone ({}): other users of this machine may read what it"
                        + " holds; chmod go-rwx {}", p, e.toString(), p);
            }
        }
        return narrowed;
    }
}
