/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.outpost.deployment.internal.Specs.running;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.outpost.manifest.ModuleSpec;
import org.outpost.manifest.ModuleType;

class BundleKindTest {

    /** A framework in which no bundle is installed. */
    private final BundleKind kind = new BundleKind(Specs.stub(BundleContext.class, (method, args) -> null), null);
    private final ModuleSpec pump = running("pump", ModuleType.BUNDLE);

    @Test
    void aBundleUninstalledOutsideTheDeploymentIsDead() {
        assertThat(kind.deadReason(pump)).isEqualTo("its bundle mvn:org.acme/pump/1.0 is not installed (uninstalled"
                + " outside the deployment?)");
        assertThat(kind.settling(pump)).isFalse();
        assertThat(kind.reach(pump)).isEmpty();
    }

    @Test
    void aBundleThatIsNotInstalledCannotBeStartedOrStopped() {
        assertThatThrownBy(() -> kind.setRunning(pump, true))
                .hasMessage("module pump: bundle mvn:org.acme/pump/1.0 is not installed");
    }
}
