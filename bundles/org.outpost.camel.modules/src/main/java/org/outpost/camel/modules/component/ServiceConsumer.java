/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * A consumer that is a whiteboard service of the module's bundle while it runs: registered when it starts or resumes,
 * unregistered when it stops or is suspended, so that the runtime keeps the messages queued meanwhile.
 */
abstract class ServiceConsumer extends DefaultConsumer {

    private AutoCloseable registration;

    ServiceConsumer(OutpostEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public OutpostEndpoint getEndpoint() {
        return (OutpostEndpoint) super.getEndpoint();
    }

    /** @return the registration of this consumer as its service, through the component's registrar */
    abstract AutoCloseable registerService();

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        register();
    }

    @Override
    protected void doStop() throws Exception {
        unregister();
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        unregister();
        super.doSuspend();
    }

    @Override
    protected void doResume() throws Exception {
        super.doResume();
        register();
    }

    private synchronized void register() {
        if (registration == null) {
            registration = registerService();
        }
    }

    private synchronized void unregister() throws Exception {
        if (registration != null) {
            AutoCloseable r = registration;
            registration = null;
            r.close();
        }
    }
}
