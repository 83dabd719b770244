/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.uploads;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Support bundles and module logs from devices. The hub asks a gateway's {@code $edgeAgent} to upload
 * ({@code UploadSupportBundle}, {@code UploadModuleLogs}) to a signed URL of its own, which takes Azure Blob's Put
 * Blob; what arrives is kept in the hub's database (so any hub node serves it) until it is deleted or
 * {@code keep.days} have passed.
 */
@ProviderType
public interface Uploads {

    /** What was asked for. */
    enum Kind {
        /** {@code UploadSupportBundle}: one zip. */
        SUPPORT_BUNDLE("UploadSupportBundle"),
        /** {@code UploadModuleLogs}: one file per module. */
        MODULE_LOGS("UploadModuleLogs");

        private final String method;

        Kind(String method) {
            this.method = method;
        }

        /** @return the {@code $edgeAgent} method that uploads it */
        public String method() {
            return method;
        }
    }

    /**
     * A file a device uploaded.
     *
     * @param seq its number (to download it)
     * @param name the blob name the device gave it ({@code <hub>/<device>/support-bundle-<time>.zip})
     * @param contentType as uploaded
     * @param contentEncoding {@code gzip} or {@code null}
     * @param bytes its size
     * @param sha256 its SHA-256, hex
     * @param received when it arrived
     */
    record UploadFile(long seq, String name, String contentType, String contentEncoding, long bytes, String sha256,
            Instant received) {
    }

    /**
     * An upload asked of a device.
     *
     * @param id its id
     * @param deviceId the device
     * @param kind what was asked for
     * @param request the options the device was given (no URL)
     * @param correlationId the device's task, or null if the device did not take the request
     * @param taskStatus the task's last known status: IoT Edge's {@code NotStarted}, {@code Running},
     *            {@code Completed}, {@code Failed}, {@code Unknown}; or {@code Refused} (the method failed: see
     *            message)
     * @param message the device's message (why it failed), or empty
     * @param created when it was asked for
     * @param urlExpires until when the device may upload
     * @param files what arrived, in order
     */
    record Upload(String id, String deviceId, Kind kind, String request, String correlationId, String taskStatus,
            String message, Instant created, Instant urlExpires, List<UploadFile> files) {
        public Upload {
            files = List.copyOf(files);
        }
    }

    /**
     * Asks a device to upload, and waits for its answer (not for the upload).
     *
     * @param deviceId the device
     * @param kind what to upload
     * @param optionsJson the method's options besides {@code schemaVersion} and {@code sasUrl} (for the support
     *            bundle {@code since}, {@code until}, {@code edgeRuntimeOnly}; for logs {@code items},
     *            {@code encoding}, {@code contentType}), a JSON object or {@code null} for the defaults (logs: the
     *            newest 1000 entries of every module)
     * @return the upload; its {@code taskStatus} says whether the device took it
     * @throws IllegalArgumentException for an unknown device or options that are not a JSON object
     */
    Upload request(String deviceId, Kind kind, String optionsJson);

    /**
     * @param deviceId only this device's, or {@code null} for all
     * @param limit at most this many, newest first
     */
    List<Upload> list(String deviceId, int limit);

    /** @return the upload, its task status asked of the device again if it was not finished */
    Optional<Upload> get(String id);

    /** @return the file's content as the device sent it */
    Optional<byte[]> content(String id, long seq);

    /** Deletes an upload and its files. @return whether there was one */
    boolean delete(String id);

    /**
     * Takes a file a device PUTs to the signed URL.
     *
     * @param id the upload, from the URL's path
     * @param signature the URL's {@code sig}
     * @param name the blob name, from the rest of the path
     * @param contentType the request's content type
     * @param contentEncoding the blob's content encoding ({@code x-ms-blob-content-encoding}), or null
     * @param body the content
     * @return what was kept
     * @throws SecurityException if there is no such upload, the signature is wrong or the URL has expired
     * @throws IllegalArgumentException if the file is larger than {@code max.bytes} or the name is not usable
     */
    UploadFile receive(String id, String signature, String name, String contentType, String contentEncoding,
            byte[] body);

    /** @return the largest file {@link #receive} takes */
    long maxBytes();
}
