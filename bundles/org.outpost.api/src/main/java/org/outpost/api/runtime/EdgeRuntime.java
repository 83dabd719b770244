/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.runtime;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.outpost.api.message.Message;
import org.outpost.api.module.SendException;

/** The gateway runtime's view of its modules, for operator tools. */
@ProviderType
public interface EdgeRuntime {

    /** @return the id of this device (gateway) */
    String deviceId();

    /** @return every module the gateway knows, sorted by name */
    List<ModuleInfo> modules();

    /**
     * @param name a module id
     * @return that module, if known
     */
    Optional<ModuleInfo> module(String name);

    /**
     * Injects a message as if {@code module} had sent it to {@code output} (for tests and diagnostics). The module
     * need not exist.
     *
     * @throws SendException if the message was not stored
     */
    void inject(String module, String output, Message message) throws SendException;
}
