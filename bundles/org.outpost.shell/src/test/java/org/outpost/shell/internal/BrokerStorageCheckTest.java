/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.outpost.broker.api.StorageState;
import org.outpost.shell.internal.CheckCommand.Check;

class BrokerStorageCheckTest {

    private static final Path DATA = Path.of("/opt/outpost/data/outpost/broker");

    @Test
    void aFullDiskFailsTheCheckSayingWhatToDo() {
        Check c = BrokerStorageCheck.of(new StorageState(true, DATA, 93, 90));

        assertThat(c).isEqualTo(new Check("broker storage", "fail", "disk full: /opt/outpost/data/outpost/broker is at"
                + " 93% (max.disk.usage 90%); messages are refused until space returns; free space or raise"
                + " max.disk.usage in etc/org.outpost.broker.cfg"));
    }

    @Test
    void aDiskCloseToTheLimitWarnsAndOneWellBelowIsOk() {
        assertThat(BrokerStorageCheck.of(new StorageState(false, DATA, 86, 90))).satisfies(c -> {
            assertThat(c.result()).isEqualTo("warn");
            assertThat(c.detail()).isEqualTo("disk: /opt/outpost/data/outpost/broker is at 86% (max.disk.usage 90%);"
                    + " messages are refused from 90%: free space or raise max.disk.usage in"
                    + " etc/org.outpost.broker.cfg");
        });
        assertThat(BrokerStorageCheck.of(new StorageState(false, DATA, 46, 90))).isEqualTo(new Check(
                "broker storage", "ok", "disk: /opt/outpost/data/outpost/broker is at 46% (max.disk.usage 90%)"));
    }

    @Test
    void aBrokerThatHasNotMeasuredYetIsOk() {
        assertThat(BrokerStorageCheck.of(StorageState.UNKNOWN).result()).isEqualTo("ok");
    }
}
