/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import org.outpost.api.config.ConfigValues;
import org.outpost.api.config.InvalidConfigurationException;

/**
 * What one network identity may hold in the broker, so that no client fills its memory or disk for the others.
 *
 * @param sessionsPerIdentity open connections plus kept MQTT sessions (persistent ones, while disconnected) one
 *            identity may have at once; one more is refused at connect
 * @param subscriptionsPerConnection MQTT subscriptions one session may hold; a SUBSCRIBE past it closes the connection
 * @param retainedPerIdentity retained MQTT messages one identity may keep; 0 refuses retained messages (and wills
 *            that would be retained) by closing the connection
 * @param clientAddressMatch the broker addresses (an Artemis match, e.g. {@code devices.#}) of the network clients'
 *            own topics, which get {@code clientAddressMaxBytes}; empty for none
 * @param clientAddressMaxBytes bytes the queues of one such address may hold (journal and pages) before a send to it
 *            fails (Artemis' FAIL policy), 0 to page without a bound as other addresses do
 */
record ClientLimits(int sessionsPerIdentity, int subscriptionsPerConnection, int retainedPerIdentity,
        String clientAddressMatch, long clientAddressMaxBytes) {

    static ClientLimits from(ConfigValues values, EmbeddedBroker.Config config) throws InvalidConfigurationException {
        int sessions = values.get("max.sessions.per.identity", config::max_sessions_per_identity,
                n -> n >= 1 && n <= 100_000, "1 to 100000 sessions");
        int subscriptions = values.get("max.subscriptions.per.connection", config::max_subscriptions_per_connection,
                n -> n >= 1 && n <= 100_000, "1 to 100000 subscriptions");
        int retained = values.get("max.retained.per.identity", config::max_retained_per_identity,
                n -> n >= 0 && n <= 100_000, "0 (retained messages refused) to 100000");
        String match = values.get("client.address.match", config::client_address_match,
                m -> m.isEmpty() || m.matches("[^\\s]{1,200}"), "an Artemis address match such as devices.#, or empty");
        long bytes = values.get("client.address.max.bytes", config::client_address_max_bytes,
                n -> n == 0 || n >= 64 * 1024, "0 (no bound) or at least 65536 bytes");
        return new ClientLimits(sessions, subscriptions, retained, match, bytes);
    }
}
