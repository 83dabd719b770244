/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.hub.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.hub.storage.StorageException;
import org.postgresql.ds.PGSimpleDataSource;

class TimeoutsTest {

    private static final Timeouts SHORT = new Timeouts(1, 3, 1, 1);

    @TempDir
    Path dir;

    @Test
    void postgresqlConnectionsGetConnectSocketAndStatementTimeoutsAndKeepAlive() {
        PGSimpleDataSource ds = (PGSimpleDataSource) DataSources.raw(new Database.Settings(
                "jdbc:postgresql://127.0.0.1:5432/outpost", "outpost", "", 4, "", new Timeouts(7, 45, 20, 3)));

        assertThat(ds.getConnectTimeout()).isEqualTo(7);
        assertThat(ds.getLoginTimeout()).isEqualTo(7);
        assertThat(ds.getSocketTimeout()).isEqualTo(45);
        assertThat(ds.getOptions()).isEqualTo("-c statement_timeout=20000");
        assertThat(ds.getTcpKeepAlive()).isTrue();
    }

    @Test
    void aPostgresqlServerThatAcceptsButNeverAnswersIsGivenUpWithinTheTimeouts() throws IOException {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();

            assertThatThrownBy(() -> new Database(new Database.Settings("jdbc:postgresql://127.0.0.1:"
                    + silent.getLocalPort() + "/outpost", "outpost", "", 2, "", SHORT)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("is PostgreSQL running");
            // HikariCP retries for its 10 s at start; without the timeouts the first try never returns.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(accepted).isNotEmpty();
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void anH2StatementRunningLongerThanTheStatementTimeoutIsCancelled() {
        try (Database db = new Database(Database.Settings.embedded(dir).withTimeouts(SHORT))) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> db.transaction("counting far", c -> {
                try (var r = c.createStatement().executeQuery("SELECT SUM(X * X) FROM SYSTEM_RANGE(1,"
                        + " 100000000000)")) {
                    r.next();
                    return r.getLong(1);
                }
            })).isInstanceOf(StorageException.class).hasMessageStartingWith("counting far: ");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            // The connection is good for the next statement.
            assertThat(db.<Integer>transaction("one", c -> 1)).isEqualTo(1);
        }
    }

    @Test
    void refusesTimeoutsThatCannotWorkSayingWhichKeyToFix() {
        assertThatThrownBy(() -> new Timeouts(10, 30, 30, 5)).hasMessageContaining("socket.timeout.seconds 30 must"
                + " be longer than statement.timeout.seconds 30").hasMessageContaining("org.outpost.hub.storage.cfg");
        assertThatThrownBy(() -> new Timeouts(0, 60, 30, 5)).hasMessageStartingWith("connect.timeout.seconds 0");
        assertThatThrownBy(() -> new Timeouts(10, 60, 30, 0)).hasMessageStartingWith("pool.wait.seconds 0");
        assertThat(new Timeouts(10, 0, 30, 5).socketSeconds()).isZero();
    }
}
