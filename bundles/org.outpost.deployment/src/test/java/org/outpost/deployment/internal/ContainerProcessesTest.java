/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.deployment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.api.runtime.ModuleInfo;
import org.outpost.api.runtime.ModuleState;

class ContainerProcessesTest {

    @TempDir
    Path dir;

    private final ContainerProcesses processes = new ContainerProcesses();

    private ProcessModule process(String module) {
        return new ProcessModule(module, List.of("/bin/true"), Map.of(), dir.resolve(module), 1 << 16);
    }

    @Test
    void aModuleWithAProcessIsListedForTheRuntimeAsAManagedContainer() {
        ProcessModule cam = process("cam");

        processes.put("cam", "2.1", cam);

        assertThat(processes.get("cam")).isSameAs(cam);
        assertThat(processes.manages("cam")).isTrue();
        assertThat(processes.manages("other")).isFalse();
        assertThat(processes.ownModules()).containsExactly(new ModuleInfo("cam", "container", cam.state(), -1, "2.1",
                true, 0, 0, cam.reason()));
        assertThat(processes.info("cam")).isEqualTo(processes.ownModules().get(0));
        assertThat(processes.info("other")).isNull();
    }

    @Test
    void aModuleWithoutAVersionIsListedWithADash() {
        processes.put("script", "", process("script"));

        assertThat(processes.info("script").version()).isEqualTo("-");
        assertThat(processes.info("script").state()).isNotEqualTo(ModuleState.RUNNING);
    }

    @Test
    void aRemovedProcessIsNoLongerListed() {
        ProcessModule cam = process("cam");
        processes.put("cam", "1.0", cam);

        assertThat(processes.remove("cam")).isSameAs(cam);

        assertThat(processes.remove("cam")).isNull();
        assertThat(processes.manages("cam")).isFalse();
        assertThat(processes.ownModules()).isEmpty();
    }

    @Test
    void removingAllHandsBackEveryProcessAndForgetsThem() {
        ProcessModule a = process("a");
        ProcessModule b = process("b");
        processes.put("a", "1", a);
        processes.put("b", "1", b);

        assertThat(processes.removeAll()).containsExactlyInAnyOrder(a, b);

        assertThat(processes.ownModules()).isEmpty();
        assertThat(processes.get("a")).isNull();
    }
}
