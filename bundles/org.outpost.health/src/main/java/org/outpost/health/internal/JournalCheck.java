/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;
import org.outpost.broker.api.Broker;
import org.outpost.broker.api.StorageState;

/** The broker's journal: critical while its disk is over {@code max.disk.usage}, a warning within 5 points of it. */
@Component(service = Check.class, property = {Check.NAME + "=broker storage", Check.TAGS + "=storage"})
public final class JournalCheck implements Check {

    /** How close to the limit a warning starts, in percentage points. */
    static final int WARN_MARGIN = 5;

    private final Broker broker;

    @Activate
    public JournalCheck(@Reference Broker broker) {
        this.broker = broker;
    }

    @Override
    public CheckResult run() {
        return judge(broker.storage());
    }

    static CheckResult judge(StorageState storage) {
        String action = "free space on the journal's file system or raise max.disk.usage in"
                + " etc/org.outpost.broker.cfg";
        if (storage.full()) {
            return CheckResult.critical(storage.message(), action + "; modules' sends fail until then");
        }
        boolean close = storage.usagePercent() >= 0
                && storage.usagePercent() >= storage.maxUsagePercent() - WARN_MARGIN;
        return close ? CheckResult.warn(storage.message() + "; messages are refused from "
                + storage.maxUsagePercent() + "%", action) : CheckResult.ok(storage.message());
    }
}
