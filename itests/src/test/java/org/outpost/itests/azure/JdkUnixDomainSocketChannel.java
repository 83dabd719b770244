/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.itests.azure;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import com.microsoft.azure.sdk.iot.device.hsm.UnixDomainSocketChannel;

/**
 * The Azure IoT Java SDK's channel to a unix domain socket (it ships none: its user supplies one), on Java 17's own
 * unix domain sockets. This is all an IoT Edge module written with the Java SDK adds to talk to the workload API.
 */
public final class JdkUnixDomainSocketChannel implements UnixDomainSocketChannel {

    private SocketChannel channel;

    @Override
    public void open(String address) throws IOException {
        String path = address.startsWith("unix://") ? address.substring("unix://".length()) : address;
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(path));
    }

    @Override
    public void write(byte[] output) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(output);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    @Override
    public int read(byte[] input) throws IOException {
        return channel.read(ByteBuffer.wrap(input));
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
