/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.deployment.api.Deployer;
import org.outpost.twin.api.AgentMethod;

/**
 * {@code $edgeAgent}'s {@code UploadModuleLogs}, as IoT Edge's: answers at once with a task
 * ({@code {"status": "NotStarted", "message": "", "correlationId": ...}}) and uploads one blob per module whose id
 * matches an item's {@code id} to the {@code sasUrl} in the background ({@code GetTaskStatus} follows it).
 */
@Component(service = AgentMethod.class, configurationPid = SupportConfig.PID,
        property = AgentMethod.NAME + "=UploadModuleLogs")
public final class UploadModuleLogs implements AgentMethod {

    private final Deployer deployer;
    private final EdgeRuntime runtime;
    private final Tasks tasks;
    private final HubName hub;
    private final SupportConfig.Settings settings;

    @Activate
    public UploadModuleLogs(@Reference Deployer deployer, @Reference EdgeRuntime runtime, @Reference Tasks tasks,
            @Reference ConfigurationAdmin configurations, SupportConfig config) {
        this(deployer, runtime, tasks, new HubName(configurations), SupportConfig.Settings.of(config));
    }

    UploadModuleLogs(Deployer deployer, EdgeRuntime runtime, Tasks tasks, HubName hub,
            SupportConfig.Settings settings) {
        this.deployer = deployer;
        this.runtime = runtime;
        this.tasks = tasks;
        this.hub = hub;
        this.settings = settings;
    }

    @Override
    public Answer invoke(String payloadJson) {
        Instant now = Instant.now();
        Payloads.LogsUpload request = Payloads.logs(payloadJson, now);
        ModuleLogFiles files = new ModuleLogFiles(deployer, runtime, settings.redactor());
        record One(String module, Payloads.LogItem item) {
        }
        List<One> uploads = new ArrayList<>();
        for (Payloads.LogItem item : request.items()) {
            for (String module : files.modules()) {
                if (item.id().matcher(module).matches()) {
                    uploads.add(new One(module, item));
                }
            }
        }
        String hubName = hub.get();
        URI container = request.sasUrl();
        BlobUpload blobs = new BlobUpload(settings.uploadTimeout());
        String id = tasks.start("upload logs", () -> {
            for (One one : uploads) {
                byte[] body = files.content(one.module(), one.item(), hubName, request.json(), request.gzip());
                blobs.put(container, ModuleLogFiles.blobName(hubName, runtime.deviceId(), one.module(), now,
                        request.json(), request.gzip()), body, request.json() ? "application/json" : "text/plain",
                        request.gzip() ? "gzip" : null);
            }
        });
        return new Answer(200, tasks.answer(id));
    }
}
