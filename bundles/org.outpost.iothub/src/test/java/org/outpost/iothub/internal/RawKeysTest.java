/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.netty.channel.local.LocalAddress;
import org.junit.jupiter.api.Test;
import org.outpost.iothub.spi.Credentials;

class RawKeysTest {

    private static final SocketAddress ELSEWHERE = new InetSocketAddress("192.0.2.7", 40000);
    private static final SocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    private static final Credentials KEY = new Credentials("hub.example", "c2VjcmV0LWtleQ==", null);
    private static final Credentials SAS = new Credentials("hub.example", "SharedAccessSignature sr=x&sig=y&se=1",
            null);

    @Test
    void aKeyInTheClearFromAnotherHostIsRefusedSayingWhatToUseInstead() {
        assertThat(RawKeys.refusal(KEY, false, ELSEWHERE)).hasValue("a key as the password is taken only over TLS or"
                + " from loopback, not in the clear from 192.0.2.7: connect to the TLS port, or give a SAS token"
                + " signed with the key");
    }

    @Test
    void aKeyOverTlsIsTakenFromAnyHost() {
        assertThat(RawKeys.refusal(KEY, true, ELSEWHERE)).isEmpty();
    }

    @Test
    void aKeyInTheClearFromLoopbackOrAnInProcessChannelIsTaken() {
        assertThat(RawKeys.refusal(KEY, false, LOOPBACK)).isEmpty();
        assertThat(RawKeys.refusal(KEY, false, new InetSocketAddress("::1", 1))).isEmpty();
        assertThat(RawKeys.refusal(KEY, false, new LocalAddress("in-process"))).isEmpty();
    }

    @Test
    void aSasTokenOrNoPasswordIsNotThisRulesBusiness() {
        assertThat(RawKeys.refusal(SAS, false, ELSEWHERE)).isEmpty();
        assertThat(RawKeys.refusal(new Credentials("hub.example", null, null), false, ELSEWHERE)).isEmpty();
    }
}
