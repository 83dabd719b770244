/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import java.util.Collection;

import org.outpost.deployment.spi.Undo;
import org.outpost.identity.api.ModuleIdentities;
import org.outpost.manifest.DeploymentManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module identities follow the deployment: every module of a deployment has one before anything of it is installed
 * (a process or container module's environment names its generation), one that a failed deployment made is deleted
 * again by its rollback, and the identity of a module the deployment removes is deleted only once the deployment is
 * kept (a rolled-back removal keeps the module, and so its identity and keys).
 */
final class DeploymentIdentities {

    /** The deployment service's log: what is logged here is part of its story. */
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final ModuleIdentities identities;

    DeploymentIdentities(ModuleIdentities identities) {
        this.identities = identities;
    }

    /**
     * Gives every module of {@code next} its identity if it has none; each one made here is deleted by {@code undo}.
     *
     * @throws IllegalArgumentException if a module's name cannot be an identity's
     */
    void create(DeploymentManifest next, Undo undo) {
        for (String module : next.modules().keySet()) {
            if (identities.identity(module).isEmpty()) {
                undo.push("delete the identity of " + module, () -> identities.delete(module));
                identities.create(module);
            }
        }
    }

    /**
     * The deployment that removed these modules is kept: their identities go. A failure is logged (the deployment
     * stands), and {@link #reconcile} at the next start tries again.
     */
    void deleteRemoved(Collection<String> removed) {
        for (String module : removed) {
            try {
                if (identities.delete(module)) {
                    LOG.info("Deleted the identity of module {}: the deployment removed it", module);
                }
            } catch (RuntimeException e) {
                LOG.error("The identity of removed module {} could not be deleted: {}", module, e.toString());
            }
        }
    }

    /**
     * At start: every module of the running deployment has its identity (a gateway that ran modules before there were
     * identities gives them theirs). Identities of modules outside the deployment are left alone: modules from
     * {@code deploy/} have identities too (the twins make them), which are not the deployment's to delete.
     */
    void reconcile(DeploymentManifest current) {
        for (String module : current.modules().keySet()) {
            try {
                if (identities.identity(module).isEmpty()) {
                    identities.create(module);
                    LOG.info("Module {} of the running deployment had no identity: made one", module);
                }
            } catch (RuntimeException e) {
                LOG.error("Module {} has no identity and none could be made: {}", module, e.toString());
            }
        }
    }
}
