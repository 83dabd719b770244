/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.broker.internal;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.security.auth.Subject;

import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.outpost.broker.api.BrokerAuthenticator;
import org.outpost.broker.api.BrokerAuthenticator.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts in-VM clients (they run inside this framework) and hands every network client to the current
 * {@link BrokerAuthenticator}; with none, network clients are refused. An authenticated network client is then bound
 * to its identity ({@link IdentityBindings}: its own MQTT client ids, its sessions within {@link ClientLimits}).
 */
final class OutpostSecurityManager implements ActiveMQSecurityManager5 {

    static final String INTERNAL_ROLE = "outpost-internal";
    static final String CLIENT_ROLE = "outpost-client";
    private static final Logger LOG = LoggerFactory.getLogger(OutpostSecurityManager.class);

    private final Supplier<Optional<BrokerAuthenticator>> authenticator;
    private final IdentityBindings bindings;
    private final Supplier<ClientLimits> limits;

    OutpostSecurityManager(Supplier<Optional<BrokerAuthenticator>> authenticator, IdentityBindings bindings,
            Supplier<ClientLimits> limits) {
        this.authenticator = authenticator;
        this.bindings = bindings;
        this.limits = limits;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection != null && connection.getTransportConnection() instanceof InVMConnection) {
            return subject(user == null ? "in-vm" : user, INTERNAL_ROLE);
        }
        String remote = connection == null ? "?" : connection.getRemoteAddress();
        Optional<BrokerAuthenticator> auth = authenticator.get();
        if (auth.isEmpty()) {
            LOG.warn("Refused network client '{}' from {}: no authenticator is registered", user, remote);
            return null;
        }
        if (user == null || password == null) {
            LOG.warn("Refused network client from {}: it gave no user name and password", remote);
            return null;
        }
        Optional<String> identity = auth.get().authenticate(user, password, remote);
        if (identity.isEmpty()) {
            // Never log the password.
            LOG.warn("Refused network client '{}' from {}: wrong credentials", user, remote);
            return null;
        }
        Optional<String> refused = connection == null ? Optional.of("its connection is unknown")
                : bindings.admit(identity.get(), connection, auth.get(), limits.get());
        if (refused.isPresent()) {
            LOG.warn("Refused network client '{}' from {}: {}", identity.get(), remote, refused.get());
            return null;
        }
        return subject(identity.get(), CLIENT_ROLE);
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        if (subject == null) {
            return false;
        }
        if (subject.getPrincipals(RolePrincipal.class).stream().anyMatch(r -> INTERNAL_ROLE.equals(r.getName()))) {
            return true;
        }
        String identity = subject.getPrincipals(UserPrincipal.class).stream().map(UserPrincipal::getName).findFirst()
                .orElse(null);
        Optional<BrokerAuthenticator> auth = authenticator.get();
        boolean allowed = identity != null && auth.isPresent() && auth.get().authorize(identity, action(checkType), address);
        if (!allowed) {
            LOG.warn("Denied {} on address '{}' to '{}'", checkType, address, identity);
        }
        return allowed;
    }

    static Action action(CheckType type) {
        switch (type) {
            case SEND:
            case CREATE_ADDRESS:
                return Action.SEND;
            case CONSUME:
            case BROWSE:
            case CREATE_DURABLE_QUEUE:
            case CREATE_NON_DURABLE_QUEUE:
            case DELETE_DURABLE_QUEUE:
            case DELETE_NON_DURABLE_QUEUE:
                return Action.CONSUME;
            default:
                return Action.MANAGE;
        }
    }

    private static Subject subject(String user, String role) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal(role));
        return subject;
    }

    @Override
    public boolean validateUser(String user, String password) {
        throw new UnsupportedOperationException("Outpost authenticates through authenticate(...)");
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        throw new UnsupportedOperationException("Outpost authorizes through authorize(...)");
    }
}
