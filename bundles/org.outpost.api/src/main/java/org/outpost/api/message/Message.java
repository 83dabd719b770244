/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.api.message;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable message: a body of bytes, application properties (string to string, as in IoT Hub) and the IoT Hub
 * system properties.
 * <p>
 * Modules build messages with {@link #builder()}; the runtime fills in what the sender cannot know
 * ({@code connectionModuleId}, {@code connectionDeviceId}, {@code outputName}) and, when absent, a {@code messageId}
 * and {@code creationTimeUtc}.
 *
 * <pre>{@code
 * Message reading = Message.builder()
 *         .json("{\"temperature\": 21.5}")
 *         .property("MessageType", "Telemetry")
 *         .build();
 * }</pre>
 */
public final class Message {

    /** Content type of JSON bodies, the only type whose body the route language can query. */
    public static final String CONTENT_TYPE_JSON = "application/json";

    private final byte[] body;
    private final Map<String, String> properties;
    private final String messageId;
    private final String correlationId;
    private final String contentType;
    private final String contentEncoding;
    private final Instant creationTimeUtc;
    private final String connectionModuleId;
    private final String connectionDeviceId;
    private final String outputName;

    private Message(Builder b) {
        this.body = b.body;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.messageId = b.messageId;
        this.correlationId = b.correlationId;
        this.contentType = b.contentType;
        this.contentEncoding = b.contentEncoding;
        this.creationTimeUtc = b.creationTimeUtc;
        this.connectionModuleId = b.connectionModuleId;
        this.connectionDeviceId = b.connectionDeviceId;
        this.outputName = b.outputName;
    }

    /** @return a builder for a new message with an empty body */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder that starts from this message's body and properties */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.body = body;
        b.properties.putAll(properties);
        b.messageId = messageId;
        b.correlationId = correlationId;
        b.contentType = contentType;
        b.contentEncoding = contentEncoding;
        b.creationTimeUtc = creationTimeUtc;
        b.connectionModuleId = connectionModuleId;
        b.connectionDeviceId = connectionDeviceId;
        b.outputName = outputName;
        return b;
    }

    /** @return a copy of the body; see {@link #bodyLength()} to avoid the copy */
    public byte[] body() {
        return body.clone();
    }

    /** @return the number of bytes in the body */
    public int bodyLength() {
        return body.length;
    }

    /**
     * Decodes the body as text using {@link #contentEncoding()} (UTF-8 when absent or unknown).
     *
     * @return the body as a string
     */
    public String bodyAsString() {
        Charset charset = StandardCharsets.UTF_8;
        if (contentEncoding != null) {
            try {
                charset = Charset.forName(contentEncoding);
            } catch (IllegalArgumentException unknownEncoding) {
                // The body stays readable as UTF-8; the encoding is reported as given by contentEncoding().
            }
        }
        return new String(body, charset);
    }

    /** @return the application properties, unmodifiable, in insertion order */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * @param name an application property name
     * @return its value, if present
     */
    public Optional<String> property(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    /** @return the message id ({@code $messageId}), or {@code null} */
    public String messageId() {
        return messageId;
    }

    /** @return the correlation id ({@code $correlationId}), or {@code null} */
    public String correlationId() {
        return correlationId;
    }

    /** @return the content type ({@code $contentType}), e.g. {@value #CONTENT_TYPE_JSON}, or {@code null} */
    public String contentType() {
        return contentType;
    }

    /** @return the content encoding ({@code $contentEncoding}), e.g. {@code utf-8}, or {@code null} */
    public String contentEncoding() {
        return contentEncoding;
    }

    /** @return when the sender created the message ({@code $creationTimeUtc}), or {@code null} */
    public Instant creationTimeUtc() {
        return creationTimeUtc;
    }

    /** @return the module that sent the message into the gateway ({@code $connectionModuleId}), or {@code null} */
    public String connectionModuleId() {
        return connectionModuleId;
    }

    /** @return the device the message came from ({@code $connectionDeviceId}), or {@code null} */
    public String connectionDeviceId() {
        return connectionDeviceId;
    }

    /** @return the module output the message was sent to ({@code $outputName}), or {@code null} */
    public String outputName() {
        return outputName;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Message m)) {
            return false;
        }
        return Arrays.equals(body, m.body) && properties.equals(m.properties)
                && Objects.equals(messageId, m.messageId) && Objects.equals(correlationId, m.correlationId)
                && Objects.equals(contentType, m.contentType) && Objects.equals(contentEncoding, m.contentEncoding)
                && Objects.equals(creationTimeUtc, m.creationTimeUtc)
                && Objects.equals(connectionModuleId, m.connectionModuleId)
                && Objects.equals(connectionDeviceId, m.connectionDeviceId)
                && Objects.equals(outputName, m.outputName);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(body) + Objects.hash(properties, messageId, outputName, connectionModuleId);
    }

    @Override
    public String toString() {
        return "Message[id=" + messageId + ", from=" + connectionModuleId + "/" + outputName + ", bytes=" + body.length
                + ", properties=" + properties + "]";
    }

    /** Builds a {@link Message}; not thread-safe. */
    public static final class Builder {
        private byte[] body = new byte[0];
        private final Map<String, String> properties = new LinkedHashMap<>();
        private String messageId;
        private String correlationId;
        private String contentType;
        private String contentEncoding;
        private Instant creationTimeUtc;
        private String connectionModuleId;
        private String connectionDeviceId;
        private String outputName;

        private Builder() {
        }

        /** Sets the body to a copy of {@code bytes}. */
        public Builder body(byte[] bytes) {
            this.body = Objects.requireNonNull(bytes, "body").clone();
            return this;
        }

        /** Sets the body to UTF-8 text, content encoding {@code utf-8}. */
        public Builder body(String text) {
            this.body = Objects.requireNonNull(text, "body").getBytes(StandardCharsets.UTF_8);
            this.contentEncoding = "utf-8";
            return this;
        }

        /** Sets a JSON body: UTF-8 text, content type {@value Message#CONTENT_TYPE_JSON}, encoding {@code utf-8}. */
        public Builder json(String json) {
            body(json);
            this.contentType = CONTENT_TYPE_JSON;
            return this;
        }

        /**
         * Sets an application property.
         *
         * @throws IllegalArgumentException if the name is empty or a value is null
         */
        public Builder property(String name, String value) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("application property name must not be empty");
            }
            if (value == null) {
                throw new IllegalArgumentException("application property '" + name + "' has no value");
            }
            properties.put(name, value);
            return this;
        }

        /** Sets all the given application properties. */
        public Builder properties(Map<String, String> values) {
            values.forEach(this::property);
            return this;
        }

        public Builder messageId(String id) {
            this.messageId = id;
            return this;
        }

        public Builder correlationId(String id) {
            this.correlationId = id;
            return this;
        }

        public Builder contentType(String type) {
            this.contentType = type;
            return this;
        }

        public Builder contentEncoding(String encoding) {
            this.contentEncoding = encoding;
            return this;
        }

        public Builder creationTimeUtc(Instant time) {
            this.creationTimeUtc = time;
            return this;
        }

        /** Set by the runtime: the sending module. */
        public Builder connectionModuleId(String moduleId) {
            this.connectionModuleId = moduleId;
            return this;
        }

        /** Set by the runtime: the device the message came from. */
        public Builder connectionDeviceId(String deviceId) {
            this.connectionDeviceId = deviceId;
            return this;
        }

        /** Set by the runtime: the output the module sent to. */
        public Builder outputName(String output) {
            this.outputName = output;
            return this;
        }

        public Message build() {
            return new Message(this);
        }
    }
}
