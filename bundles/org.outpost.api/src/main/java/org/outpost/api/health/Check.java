/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.health;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One health check, registered as a service with its name and tags as service properties (the names Felix Health
 * Checks uses, so its habits carry over):
 *
 * <pre>{@code
 * @Component(property = {Check.NAME + "=journal space", Check.TAGS + "=storage", Check.TAGS + "=startup"})
 * public class JournalSpace implements Check {
 *     public CheckResult run() {
 *         long free = ...;
 *         return free > MIN ? CheckResult.ok(free / MB + " MB free")
 *                 : CheckResult.critical("only " + free / MB + " MB free for data/",
 *                         "free disk space or lower storeAndForward.maxBytesPerEndpoint");
 *     }
 * }
 * }</pre>
 *
 * A check must answer within a few seconds: the runner gives up after {@code check.timeout} (5 s) and reports it as
 * critical, so a check that does I/O bounds its own waits.
 */
@ConsumerType
public interface Check {

    /** Service property: the check's name as operators read it ({@code certificate expiry}). */
    String NAME = "hc.name";

    /** Service property ({@code String} or {@code String[]}): tags to select checks by ({@code security}). */
    String TAGS = "hc.tags";

    /** @return what the check found now */
    CheckResult run() throws Exception;
}
