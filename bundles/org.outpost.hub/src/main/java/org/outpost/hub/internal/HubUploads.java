/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.outpost.commons.DaemonThreads;
import org.outpost.hub.api.Methods;
import org.outpost.hub.storage.HubDatabase;
import org.outpost.hub.storage.StorageException;
import org.outpost.hub.uploads.Uploads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Uploads}: each upload gets a random signature (kept as its SHA-256) in a URL of this hub's
 * ({@code public.url}{@code /uploads/<id>?...&sig=...}), which the device's {@code $edgeAgent} is given as the
 * {@code sasUrl}; what it PUTs there is kept in the database. Uploads older than {@code keep.days} are deleted every
 * hour (by whichever node: the deletion is the same on all).
 */
@Component(service = Uploads.class, configurationPid = HubUploads.PID)
@Designate(ocd = HubUploads.Config.class)
public final class HubUploads implements Uploads {

    static final String PID = "org.outpost.hub.uploads";
    private static final Logger LOG = LoggerFactory.getLogger(HubUploads.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUNNING = Set.of("NotStarted", "Running");

    @ObjectClassDefinition(name = "Outpost hub uploads", description = "Support bundles and module logs devices"
            + " upload to the hub.")
    public @interface Config {
        @AttributeDefinition(description = "The hub's HTTP address as the devices reach it (the upload URL they are"
                + " given starts with it), e.g. https://hub.example.com:8443. Empty: the HTTP port of"
                + " etc/org.apache.felix.http.cfg on its host (127.0.0.1 by default): right for one machine only")
        String public_url() default "";

        @AttributeDefinition(description = "How long a device may upload to the URL it was given (minutes)")
        int url_valid_minutes() default 60;

        @AttributeDefinition(description = "Largest file a device may upload (bytes)")
        long max_bytes() default 64L * 1024 * 1024;

        @AttributeDefinition(description = "Uploads older than this are deleted (days)")
        int keep_days() default 14;

        @AttributeDefinition(description = "How long the hub waits for the device's answer to the upload method"
                + " (seconds, 5 to 300)")
        int method_timeout_seconds() default 30;
    }

    /** The checked configuration. */
    record Settings(URI publicUrl, Duration urlValid, long maxBytes, Duration keep, Duration methodTimeout) {
        static Settings of(Config c) {
            URI u = c.public_url().isBlank() ? null : URI.create(c.public_url().strip().replaceAll("/+$", ""));
            if (u != null && (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null)) {
                throw new IllegalArgumentException("public.url '" + c.public_url() + "' in etc/" + PID + ".cfg must"
                        + " be the http:// or https:// address devices reach the hub's HTTP port at");
            }
            if (c.url_valid_minutes() < 1 || c.max_bytes() < 1 || c.keep_days() < 1) {
                throw new IllegalArgumentException("url.valid.minutes, max.bytes and keep.days in etc/" + PID
                        + ".cfg must be 1 or more");
            }
            long t = Math.min(Methods.MAX_TIMEOUT.toSeconds(), Math.max(Methods.MIN_TIMEOUT.toSeconds(),
                    c.method_timeout_seconds()));
            return new Settings(u, Duration.ofMinutes(c.url_valid_minutes()), c.max_bytes(),
                    Duration.ofDays(c.keep_days()), Duration.ofSeconds(t));
        }
    }

    private final UploadRepository repository;
    private final Methods methods;
    private final Settings settings;
    private final java.util.function.Supplier<Instant> clock;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("outpost-hub-uploads-purge"));

    private final java.util.function.Supplier<URI> httpAddress;

    @Activate
    public HubUploads(@Reference HubDatabase db, @Reference Methods methods,
            @Reference org.osgi.service.cm.ConfigurationAdmin configurations, Config config) {
        this(db, methods, Settings.of(config), Instant::now, () -> httpAddress(configurations));
    }

    HubUploads(HubDatabase db, Methods methods, Settings settings, java.util.function.Supplier<Instant> clock,
            java.util.function.Supplier<URI> httpAddress) {
        this.repository = new UploadRepository(db);
        this.methods = methods;
        this.settings = settings;
        this.clock = clock;
        this.httpAddress = httpAddress;
        purger.scheduleWithFixedDelay(this::purge, 1, 60, TimeUnit.MINUTES);
    }

    @Deactivate
    void deactivate() {
        purger.shutdownNow();
    }

    void purge() {
        try {
            int n = repository.deleteBefore(clock.get().minus(settings.keep()));
            if (n > 0) {
                LOG.info("Deleted {} uploads older than {} days (keep.days in etc/{}.cfg)", n,
                        settings.keep().toDays(), PID);
            }
        } catch (StorageException e) {
            LOG.warn("Old uploads could not be deleted now, again in an hour: {}", e.getMessage());
        }
    }

    @Override
    public Upload request(String deviceId, Kind kind, String optionsJson) {
        ObjectNode options = options(kind, optionsJson);
        String id = UUID.randomUUID().toString();
        byte[] sig = new byte[32];
        random.nextBytes(sig);
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        Instant now = clock.get();
        Instant expires = now.plus(settings.urlValid());
        try {
            repository.insert(id, deviceId, kind, options.toString(), sha256(signature.getBytes(
                    StandardCharsets.US_ASCII)), now, expires);
        } catch (StorageException e) {
            // The foreign key to devices: 23503 on PostgreSQL, 23506 on H2.
            if (e.getCause() instanceof java.sql.SQLException q && Set.of("23503", "23506").contains(q.getSQLState())) {
                throw new IllegalArgumentException("there is no device '" + deviceId + "'");
            }
            throw e;
        }
        ObjectNode payload = JSON.createObjectNode().put("schemaVersion", "1.0").put("sasUrl", sasUrl(id,
                signature, expires));
        payload.setAll(options);
        Methods.Result r;
        try {
            r = methods.invoke(deviceId, "$edgeAgent", kind.method(), payload.toString(), settings.methodTimeout())
                    .toCompletableFuture().get(settings.methodTimeout().toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            r = new Methods.Result(504, JSON.createObjectNode().put("message", "no answer: " + e).toString());
        }
        answered(id, r);
        return repository.find(id).orElseThrow().upload();
    }

    private void answered(String id, Methods.Result r) {
        JsonNode answer = parse(r.payload());
        if (r.status() == 200 && answer.hasNonNull("correlationId")) {
            repository.task(id, answer.path("correlationId").asText(), answer.path("status").asText("Unknown"),
                    answer.path("message").asText(""));
        } else {
            String why = answer.path("message").asText(r.payload());
            repository.task(id, null, "Refused", "the device answered " + r.status() + ": " + why);
        }
    }

    private static ObjectNode options(Kind kind, String optionsJson) {
        JsonNode o = optionsJson == null || optionsJson.isBlank() ? JSON.createObjectNode() : parse(optionsJson);
        if (!o.isObject()) {
            throw new IllegalArgumentException("the options must be a JSON object, e.g. " + (kind == Kind.MODULE_LOGS
                    ? "{\"items\": [{\"id\": \".*\", \"filter\": {\"tail\": 1000}}]}" : "{\"since\": \"1h\"}"));
        }
        ObjectNode options = ((ObjectNode) o).deepCopy();
        options.remove(List.of("sasUrl", "schemaVersion"));
        if (kind == Kind.MODULE_LOGS) {
            if (!options.has("items")) {
                options.putArray("items").addObject().put("id", ".*").putObject("filter").put("tail", 1000);
            }
            if (!options.has("encoding")) {
                options.put("encoding", "none");
            }
            if (!options.has("contentType")) {
                options.put("contentType", "text");
            }
        }
        return options;
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
    }

    /** @return the hub's own HTTP address from Felix HTTP's configuration, for an empty {@code public.url} */
    static URI httpAddress(org.osgi.service.cm.ConfigurationAdmin configurations) {
        java.util.Dictionary<String, Object> p = null;
        try {
            org.osgi.service.cm.Configuration[] c = configurations.listConfigurations(
                    "(service.pid=org.apache.felix.http)");
            p = c == null || c.length == 0 ? null : c[0].getProperties();
        } catch (Exception e) {
            LOG.debug("The HTTP configuration cannot be read: {}", e.toString());
        }
        String host = p == null || p.get("org.apache.felix.http.host") == null ? "127.0.0.1"
                : p.get("org.apache.felix.http.host").toString();
        boolean https = p != null && "false".equals(String.valueOf(p.get("org.apache.felix.http.enable")))
                && "true".equals(String.valueOf(p.get("org.apache.felix.https.enable")));
        Object port = p == null ? null : p.get(https ? "org.osgi.service.http.port.secure"
                : "org.osgi.service.http.port");
        if (host.equals("0.0.0.0") || host.equals("::")) {
            LOG.warn("Uploads: the HTTP service listens on every address; set public.url in etc/{}.cfg to the"
                    + " address devices reach the hub at (127.0.0.1 is used meanwhile)", PID);
            host = "127.0.0.1";
        }
        return URI.create((https ? "https://" : "http://") + host + ":" + (port == null ? "8181" : port));
    }

    String sasUrl(String id, String signature, Instant expires) {
        URI base = settings.publicUrl() != null ? settings.publicUrl() : httpAddress.get();
        return base + "/uploads/" + id + "?sv=outpost-1&sr=c&sp=cw&se="
                + URLEncoder.encode(expires.toString(), StandardCharsets.UTF_8) + "&sig=" + signature;
    }

    @Override
    public List<Upload> list(String deviceId, int limit) {
        return repository.list(deviceId, Math.max(1, limit));
    }

    @Override
    public Optional<Upload> get(String id) {
        Optional<UploadRepository.Row> row = repository.find(id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Upload u = row.get().upload();
        if (u.correlationId() != null && RUNNING.contains(u.taskStatus())) {
            try {
                Methods.Result r = methods.invoke(u.deviceId(), "$edgeAgent", "GetTaskStatus", JSON.createObjectNode()
                        .put("schemaVersion", "1.0").put("correlationId", u.correlationId()).toString(),
                        Methods.MIN_TIMEOUT).toCompletableFuture().get(Methods.MIN_TIMEOUT.toSeconds() + 2,
                                TimeUnit.SECONDS);
                JsonNode a = parse(r.payload());
                if (r.status() == 200 && a.has("status")) {
                    repository.task(id, null, a.path("status").asText(), a.path("message").asText(""));
                    return repository.find(id).map(UploadRepository.Row::upload);
                }
            } catch (Exception e) {
                LOG.debug("GetTaskStatus of upload {} on {}: {}", id, u.deviceId(), e.toString());
            }
        }
        return Optional.of(u);
    }

    @Override
    public Optional<byte[]> content(String id, long seq) {
        return repository.content(id, seq);
    }

    @Override
    public boolean delete(String id) {
        return repository.delete(id);
    }

    @Override
    public long maxBytes() {
        return settings.maxBytes();
    }

    @Override
    public UploadFile receive(String id, String signature, String name, String contentType, String contentEncoding,
            byte[] body) {
        UploadRepository.Row row = repository.find(id).orElseThrow(() -> new SecurityException("there is no upload "
                + id));
        if (signature == null || !MessageDigest.isEqual(row.signatureHash().getBytes(StandardCharsets.US_ASCII),
                sha256(signature.getBytes(StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII))) {
            throw new SecurityException("the signature (sig) of upload " + id + " is wrong");
        }
        Instant now = clock.get();
        if (now.isAfter(row.upload().urlExpires())) {
            throw new SecurityException("the URL of upload " + id + " expired at " + row.upload().urlExpires());
        }
        if (body.length > settings.maxBytes()) {
            throw new IllegalArgumentException("the file is " + body.length + " bytes; at most " + settings.maxBytes()
                    + " are taken (max.bytes in etc/" + PID + ".cfg)");
        }
        if (name == null || name.isBlank() || name.length() > 1024) {
            throw new IllegalArgumentException("the blob name must be 1 to 1024 characters");
        }
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream"
                : contentType.length() > 128 ? contentType.substring(0, 128) : contentType;
        String encoding = contentEncoding == null || contentEncoding.isBlank() ? null
                : contentEncoding.length() > 32 ? contentEncoding.substring(0, 32) : contentEncoding;
        String sha = sha256(body);
        long seq = repository.putFile(id, name, type, encoding, body, sha, now);
        LOG.info("Upload {} from {}: {} ({} bytes)", id, row.upload().deviceId(), name, body.length);
        return new UploadFile(seq, name, type, encoding, body.length, sha, now);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
