/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.twin.api.AgentMethod;

/**
 * {@code $edgeAgent}'s {@code GetTaskStatus}, as IoT Edge's: {@code {"schemaVersion": "1.0", "correlationId": ...}}
 * answered with {@code {"status": "NotStarted|Running|Completed|Failed|Unknown", "message": ...,
 * "correlationId": ...}}.
 */
@Component(service = AgentMethod.class, property = AgentMethod.NAME + "=GetTaskStatus")
public final class GetTaskStatus implements AgentMethod {

    private final Tasks tasks;

    @Activate
    public GetTaskStatus(@Reference Tasks tasks) {
        this.tasks = tasks;
    }

    @Override
    public Answer invoke(String payloadJson) {
        return new Answer(200, tasks.answer(Payloads.correlationId(payloadJson)));
    }
}
