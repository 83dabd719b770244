/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.outpost.api.health.Check;
import org.outpost.api.health.CheckResult;
import org.outpost.api.health.CheckResult.Level;
import org.outpost.api.health.Checks.Report;

class CheckRunnerTest {

    private final CheckRunner runner = new CheckRunner(Clock.systemUTC(), Duration.ofMillis(500), Duration.ZERO);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        runner.deactivate();
    }

    private void add(String name, Check check, String... tags) {
        runner.addCheck(check, Map.of(Check.NAME, name, Check.TAGS, tags));
    }

    @Test
    void checksRunInParallelAndAreReportedSortedByNameWithTheirTags() {
        CountDownLatch both = new CountDownLatch(2);
        java.util.concurrent.Callable<CheckResult> waitsForTheOther = () -> {
            both.countDown();
            return both.await(400, TimeUnit.MILLISECONDS) ? CheckResult.ok("met the other")
                    : CheckResult.critical("ran alone", "");
        };
        add("b disk", waitsForTheOther::call, "storage");
        add("a clock", waitsForTheOther::call, "time", "connectivity");

        List<Report> reports = runner.run(Set.of());

        assertThat(reports).extracting(Report::name).containsExactly("a clock", "b disk");
        assertThat(reports).allSatisfy(r -> assertThat(r.result()).isEqualTo(CheckResult.ok("met the other")));
        assertThat(reports.get(0).tags()).containsExactly("time", "connectivity");
    }

    @Test
    void tagsSelectChecksWithAtLeastOneOfThem() {
        add("disk", () -> CheckResult.ok("fine"), "storage");
        add("clock", () -> CheckResult.ok("fine"), "time");
        add("dns", () -> CheckResult.ok("fine"), "connectivity", "dns");

        assertThat(runner.run(Set.of("dns", "storage"))).extracting(Report::name).containsExactly("disk", "dns");
        assertThat(runner.run(Set.of("nothing"))).isEmpty();
    }

    @Test
    void aCheckThatHangsIsCriticalAtTheTimeoutAndIsNotStartedAgainWhileItStillRuns() {
        AtomicInteger started = new AtomicInteger();
        add("hangs", () -> {
            started.incrementAndGet();
            release.await();
            return CheckResult.ok("late");
        });
        add("quick", () -> CheckResult.ok("fine"));

        long t0 = System.nanoTime();
        List<Report> first = runner.run(Set.of());
        List<Report> second = runner.run(Set.of());

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(first.get(0).result().level()).isEqualTo(Level.CRITICAL);
        assertThat(first.get(0).result().detail()).isEqualTo("no answer within 0 s");
        assertThat(first.get(0).result().action()).contains("timeout.seconds in etc/org.outpost.health.cfg");
        assertThat(first.get(1).result()).isEqualTo(CheckResult.ok("fine"));
        assertThat(second.get(0).result().detail()).startsWith("still running since an earlier run");
        assertThat(started).hasValue(1);
    }

    @Test
    void aCheckThatThrowsIsCriticalNamingTheError() {
        add("broken", () -> {
            throw new IllegalStateException("no such file: /x/ca.pem");
        });

        CheckResult r = runner.run(Set.of()).get(0).result();

        assertThat(r.level()).isEqualTo(Level.CRITICAL);
        assertThat(r.detail()).isEqualTo("the check failed: java.lang.IllegalStateException: no such file:"
                + " /x/ca.pem");
        assertThat(r.action()).contains("data/log/karaf.log");
    }

    @Test
    void aReportIsReusedWithinTheCachePeriodAndARemovedCheckIsGone() {
        CheckRunner cached = new CheckRunner(Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofHours(1));
        AtomicInteger runs = new AtomicInteger();
        Check counting = () -> CheckResult.ok("run " + runs.incrementAndGet());
        cached.addCheck(counting, Map.of(Check.NAME, "counting", Check.TAGS, "a, b"));
        try {
            assertThat(cached.run(Set.of()).get(0).result().detail()).isEqualTo("run 1");
            assertThat(cached.run(Set.of()).get(0).result().detail()).isEqualTo("run 1");
            assertThat(cached.run(Set.of("b")).get(0).tags()).containsExactly("a", "b");
            cached.removeCheck(counting, Map.of());
            assertThat(cached.run(Set.of())).isEmpty();
        } finally {
            cached.deactivate();
        }
    }
}
