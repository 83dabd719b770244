/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.api;

/**
 * A snapshot of one queue.
 *
 * @param name the queue name
 * @param messages messages in the queue, including those being delivered
 * @param bytes their persistent size in bytes
 * @param delivering messages delivered and not yet acknowledged
 * @param added messages added since the broker started
 * @param expired messages dropped because their time to live ran out, since the broker started
 */
public record QueueStats(String name, long messages, long bytes, long delivering, long added, long expired) {
}
