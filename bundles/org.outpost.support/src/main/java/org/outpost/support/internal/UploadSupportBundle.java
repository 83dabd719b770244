/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.support.internal;

import java.io.ByteArrayOutputStream;
import java.time.Instant;

import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.outpost.api.runtime.EdgeRuntime;
import org.outpost.support.api.SupportBundles;
import org.outpost.twin.api.AgentMethod;

/**
 * {@code $edgeAgent}'s {@code UploadSupportBundle}, as IoT Edge's: answers at once with a task and uploads the support
 * bundle ({@code <hub>/<device>/support-bundle-<time>.zip}) to the {@code sasUrl} in the background.
 */
@Component(service = AgentMethod.class, configurationPid = SupportConfig.PID,
        property = AgentMethod.NAME + "=UploadSupportBundle")
public final class UploadSupportBundle implements AgentMethod {

    private final SupportBundles bundles;
    private final EdgeRuntime runtime;
    private final Tasks tasks;
    private final HubName hub;
    private final SupportConfig.Settings settings;

    @Activate
    public UploadSupportBundle(@Reference SupportBundles bundles, @Reference EdgeRuntime runtime,
            @Reference Tasks tasks, @Reference ConfigurationAdmin configurations, SupportConfig config) {
        this(bundles, runtime, tasks, new HubName(configurations), SupportConfig.Settings.of(config));
    }

    UploadSupportBundle(SupportBundles bundles, EdgeRuntime runtime, Tasks tasks, HubName hub,
            SupportConfig.Settings settings) {
        this.bundles = bundles;
        this.runtime = runtime;
        this.tasks = tasks;
        this.hub = hub;
        this.settings = settings;
    }

    /** @return the blob name IoT Edge gives a support bundle */
    static String blobName(String hub, String device, Instant now) {
        return hub + "/" + device + "/support-bundle-" + Payloads.BLOB_TIME.format(now) + ".zip";
    }

    @Override
    public Answer invoke(String payloadJson) {
        Instant now = Instant.now();
        Payloads.BundleUpload request = Payloads.bundle(payloadJson, now);
        String name = blobName(hub.get(), runtime.deviceId(), now);
        BlobUpload blobs = new BlobUpload(settings.uploadTimeout());
        String id = tasks.start("upload support bundle", () -> {
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            bundles.write(new SupportBundles.Request(request.since(), request.until(), request.edgeRuntimeOnly()),
                    zip);
            blobs.put(request.sasUrl(), name, zip.toByteArray(), "application/zip", null);
        });
        return new Answer(200, tasks.answer(id));
    }
}
