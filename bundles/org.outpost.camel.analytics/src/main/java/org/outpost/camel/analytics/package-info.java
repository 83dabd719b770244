/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
/**
 * Edge analytics for Camel routes, as beans a route file names ({@code #class:org.outpost.camel.analytics.X} with
 * properties, or a {@code beans:} section): {@link org.outpost.camel.analytics.ReadingExtractor} takes the key, value
 * and time of a reading out of a JSON body into headers ({@link org.outpost.camel.analytics.AnalyticsHeaders}), which
 * {@link org.outpost.camel.analytics.WindowStats} and {@link org.outpost.camel.analytics.SlidingWindowStats}
 * (aggregation strategies for the aggregate EIP), {@link org.outpost.camel.analytics.ZScoreDetector} and
 * {@link org.outpost.camel.analytics.EwmaDetector} (processors turning anomalous readings into alerts) read;
 * {@link org.outpost.camel.analytics.TimeWindowIdempotentRepository} de-duplicates within a time window for the
 * idempotentConsumer EIP, and {@link org.outpost.camel.analytics.JsonField} is a body field as a Camel expression.
 */
@Export
@Version("1.0.0")
package org.outpost.camel.analytics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
