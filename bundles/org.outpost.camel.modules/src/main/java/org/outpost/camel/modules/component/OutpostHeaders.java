/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.modules.component;

import java.util.Set;

/**
 * The Camel headers of the {@code outpost} component. A message's application properties are headers of the same
 * names (String values); its system properties are these headers. On {@code outpost:output/<name>}, headers that are
 * neither these nor Camel's own ({@code Camel*}) and whose values are text, numbers or booleans become application
 * properties; {@link #MESSAGE_ID}, {@link #CORRELATION_ID}, {@link #CONTENT_TYPE}, {@link #CONTENT_ENCODING} and
 * {@link #CREATION_TIME_UTC} become the system properties (the gateway sets the connection ids and the output name).
 */
public final class OutpostHeaders {

    /** The message id. */
    public static final String MESSAGE_ID = "OutpostMessageId";
    /** The correlation id. */
    public static final String CORRELATION_ID = "OutpostCorrelationId";
    /** The content type, e.g. {@code application/json}. */
    public static final String CONTENT_TYPE = "OutpostContentType";
    /** The content encoding, e.g. {@code utf-8}. */
    public static final String CONTENT_ENCODING = "OutpostContentEncoding";
    /** The device the message came from (set by the gateway). */
    public static final String CONNECTION_DEVICE_ID = "OutpostConnectionDeviceId";
    /** The module that sent the message (set by the gateway). */
    public static final String CONNECTION_MODULE_ID = "OutpostConnectionModuleId";
    /** The output the sender sent it to (set by the gateway). */
    public static final String OUTPUT_NAME = "OutpostOutputName";
    /** When the message was made, ISO-8601 UTC ({@code 2026-12-05T14:00:00Z}). */
    public static final String CREATION_TIME_UTC = "OutpostCreationTimeUtc";
    /** On {@code outpost:input/<name>}: the input the message came to. */
    public static final String INPUT_NAME = "OutpostInputName";
    /** On {@code outpost:method/<name>}: the method's name. */
    public static final String METHOD_NAME = "OutpostMethodName";
    /** On {@code outpost:method/<name>}: the status of the answer (an integer; 200 when absent). */
    public static final String METHOD_STATUS = "OutpostMethodStatus";

    /** The headers that are not application properties. */
    public static final Set<String> ALL = Set.of(MESSAGE_ID, CORRELATION_ID, CONTENT_TYPE, CONTENT_ENCODING,
            CONNECTION_DEVICE_ID, CONNECTION_MODULE_ID, OUTPUT_NAME, CREATION_TIME_UTC, INPUT_NAME, METHOD_NAME,
            METHOD_STATUS);

    private OutpostHeaders() {
    }
}
