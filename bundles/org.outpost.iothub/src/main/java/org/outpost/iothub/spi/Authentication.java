/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.iothub.spi;

import java.util.Objects;

/** What an {@link IdentityAuthenticator} decided: the identity is let in, or refused with the reason. */
public sealed interface Authentication {

    /** @param identity who connected: the claimed identity, or another kind of it (a child device, say) */
    record Accepted(Identity identity) implements Authentication {
        public Accepted {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * @param reason why, for the server's log and never the client: it names no secret (no key, token or
     *            password), and may say what would let the identity in
     */
    record Refused(String reason) implements Authentication {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Authentication accepted(Identity identity) {
        return new Accepted(identity);
    }

    static Authentication refused(String reason) {
        return new Refused(reason);
    }
}
