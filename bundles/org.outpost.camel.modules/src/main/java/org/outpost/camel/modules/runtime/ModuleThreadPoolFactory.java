/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultThreadPoolFactory;

/**
 * Camel's thread pools of a route module, with the module's threads ({@code ModuleClient.threadFactory()}: named
 * {@code outpost-<module>-<n>}, counted as the module's, a thread dying of an exception marks the module failed)
 * instead of Camel's. (Components that start threads of their own, such as the timer, do not ask this factory.)
 */
final class ModuleThreadPoolFactory extends DefaultThreadPoolFactory {

    private final ThreadFactory threads;

    ModuleThreadPoolFactory(ThreadFactory threads) {
        this.threads = threads;
    }

    @Override
    public ExecutorService newCachedThreadPool(ThreadFactory camelThreads) {
        return super.newCachedThreadPool(threads);
    }

    @Override
    public ExecutorService newThreadPool(ThreadPoolProfile profile, ThreadFactory camelThreads) {
        return super.newThreadPool(profile, threads);
    }

    @Override
    public ScheduledExecutorService newScheduledThreadPool(ThreadPoolProfile profile, ThreadFactory camelThreads) {
        return super.newScheduledThreadPool(profile, threads);
    }
}
