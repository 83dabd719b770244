/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.camel.analytics;

/**
 * The headers {@link ReadingExtractor} sets and the window strategies and detectors read, and those the summaries and
 * alerts carry (on an {@code outpost:output}, headers become the message's application properties).
 */
public final class AnalyticsHeaders {

    /** The reading's key (String): what windows and detectors keep apart, such as a sensor or machine id. */
    public static final String KEY = "OutpostAnalyticsKey";
    /** The reading's value (Double). */
    public static final String VALUE = "OutpostAnalyticsValue";
    /** The reading's time (Long, epoch milliseconds). */
    public static final String TIME = "OutpostAnalyticsTime";
    /** The reading's id (String), for de-duplication: the id field, else the message id, else the exchange id. */
    public static final String ID = "OutpostAnalyticsId";
    /** What a summary or an alert is ({@value #SUMMARY} or {@value #ALERT}), as an application property. */
    public static final String MESSAGE_TYPE = "MessageType";
    /** {@link #MESSAGE_TYPE} of a window's summary. */
    public static final String SUMMARY = "WindowSummary";
    /** {@link #MESSAGE_TYPE} of an anomaly alert. */
    public static final String ALERT = "Alert";
    /** The outpost component's message id header: a summary or an alert is a new message, never a reading's id. */
    static final String OUTPOST_MESSAGE_ID = "OutpostMessageId";
    /** The outpost component's creation time header (ISO-8601), a reading's time when its body has none. */
    static final String OUTPOST_CREATION_TIME = "OutpostCreationTimeUtc";

    private AnalyticsHeaders() {
    }
}
