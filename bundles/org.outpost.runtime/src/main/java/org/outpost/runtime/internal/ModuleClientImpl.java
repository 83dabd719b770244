/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.runtime.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;

import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.outpost.api.message.Message;
import org.outpost.api.module.EdgeModule;
import org.outpost.api.module.ModuleClient;
import org.outpost.api.module.ModuleNames;
import org.outpost.api.module.SendException;

/**
 * One {@link ModuleClient} per module bundle: the bundle scope gives each using bundle its own instance, bound to the
 * module id in that bundle's {@value EdgeModule#HEADER} header.
 */
@Component(service = ModuleClient.class, scope = ServiceScope.BUNDLE)
public final class ModuleClientImpl implements ModuleClient {

    private final Ingress ingress;
    private final ModuleThreads threads;
    private final String moduleId;
    private final ThreadFactory threadFactory;

    @Activate
    public ModuleClientImpl(@Reference Ingress ingress, @Reference ModuleThreads threads, ComponentContext context) {
        this.ingress = ingress;
        this.threads = threads;
        Bundle user = context.getUsingBundle();
        String id = user == null ? null : user.getHeaders("").get(EdgeModule.HEADER);
        if (!ModuleNames.isValid(id)) {
            throw new ComponentException("Bundle " + (user == null ? "?" : user.getSymbolicName())
                    + " asked for a ModuleClient but declares no valid module id: add @EdgeModule(\"my-module\")"
                    + " (manifest header " + EdgeModule.HEADER + ")" + (id == null ? "" : "; found '" + id + "'"));
        }
        this.moduleId = id;
        this.threadFactory = threads.factory(id);
    }

    /** The module's bundle no longer uses its client: it stopped. */
    @Deactivate
    void deactivate() {
        threads.clear(moduleId);
    }

    @Override
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    @Override
    public String moduleId() {
        return moduleId;
    }

    @Override
    public String deviceId() {
        return ingress.deviceId();
    }

    @Override
    public void send(String output, Message message) throws SendException {
        ingress.send(moduleId, output, message);
    }

    @Override
    public CompletionStage<Void> sendAsync(String output, Message message) {
        return ingress.sendAsync(moduleId, output, message);
    }
}
