/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.internal.routing;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.outpost.hub.routing}: how the hub delivers routed messages. */
@ObjectClassDefinition(name = "Outpost hub message routing", description = "Delivery of routed messages to"
        + " endpoints: batches, retries with back-off, dead letters, the built-in endpoint's retention.")
public @interface RoutingSettings {

    String PID = "org.outpost.hub.routing";

    @AttributeDefinition(description = "Most messages given to an endpoint in one delivery (a webhook's JSON batch).")
    int batch_size() default 100;

    @AttributeDefinition(description = "The first retry of a failed delivery after this many ms; each next one"
            + " waits twice as long, up to retry.max.ms.")
    long retry_initial_ms() default 1000;

    @AttributeDefinition(description = "The longest wait between two attempts, ms.")
    long retry_max_ms() default 60_000;

    @AttributeDefinition(description = "A message whose delivery failed this many times goes to the endpoint's dead"
            + " letters; 0 (the default): only max.age.minutes (or the endpoint's refusal) does, so that an endpoint"
            + " that is down does not fill its dead letters with healthy messages.")
    int max_attempts() default 0;

    @AttributeDefinition(description = "A message that failed and waited longer than this (minutes since the hub"
            + " received it) goes to the dead letters, whatever its attempts.")
    long max_age_minutes() default 1440;

    @AttributeDefinition(description = "How long a node's claim to deliver an endpoint lasts without renewal"
            + " (seconds): after a node dies, another takes its endpoints over after this. Longer than any"
            + " endpoint's timeout.")
    int lease_seconds() default 30;

    @AttributeDefinition(description = "Threads delivering endpoints on this node (one endpoint at a time each).")
    int delivery_threads() default 4;

    @AttributeDefinition(description = "Most messages queued in one database transaction at ingestion.")
    int ingest_batch_max() default 1000;

    @AttributeDefinition(description = "How long the built-in endpoint keeps a message for a consumer group that"
            + " does not read it (minutes; the message expires).")
    long events_retention_minutes() default 1440;
}
