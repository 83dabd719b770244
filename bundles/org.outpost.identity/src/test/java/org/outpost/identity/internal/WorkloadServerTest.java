/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.outpost.identity.api.ModuleIdentity;
import org.outpost.identity.internal.WorkloadClient.Answer;

class WorkloadServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration AT_MOST = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final WorkloadFakes.Identities identities = new WorkloadFakes.Identities();
    private final ModuleIdentity filter = identities.create("filter");
    private final ModuleIdentity sensor = identities.create("sensor");
    private WorkloadServer server;
    private Path dir;

    private WorkloadServer start(String... modules) throws Exception {
        return start(TIMEOUT, modules);
    }

    private WorkloadServer start(Duration timeout, String... modules) throws Exception {
        dir = tmp.resolve("workload");
        server = new WorkloadServer(new WorkloadSockets(dir), new WorkloadRequests(identities,
                new WorkloadFakes.Certificates(), new WorkloadRefusals(Duration.ofMinutes(1))), timeout);
        server.serve(() -> Set.of(modules)).get(5, TimeUnit.SECONDS);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path socket(String module) {
        return dir.resolve(module + ".sock");
    }

    private static String signRequest(String module, String generation, String connection, String data) {
        String body = "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"" + data + "\"}";
        return "POST /modules/" + module + "/genid/" + generation + "/sign?api-version=2018-06-28 HTTP/1.1\r\n"
                + "Host: workload\r\nContent-Type: application/json\r\nConnection: " + connection + "\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static Answer exchange(Path socket, String request) {
        return assertTimeoutPreemptively(AT_MOST, () -> WorkloadClient.exchange(socket, request));
    }

    @Test
    void aModuleSignsOverItsOwnSocketWithItsKey() throws Exception {
        start("filter", "sensor");

        Answer answer = exchange(socket("filter"), signRequest("filter", filter.generationId(), "close",
                WorkloadFakes.base64("to sign")));

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(answer.headers()).containsEntry("content-type", "application/json")
                .containsEntry("content-length", String.valueOf(answer.body().length()));
        assertThat(JSON.readTree(answer.body()).get("digest").asText()).isEqualTo(WorkloadFakes.hmac(
                filter.primaryKey(), "to sign".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theSocketNamesTheModuleSoAnotherModulesPathIsForbidden() throws Exception {
        start("filter", "sensor");

        Answer answer = exchange(socket("sensor"), signRequest("filter", filter.generationId(), "close", "AAEC"));

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(JSON.readTree(answer.body()).get("message").asText()).contains("'sensor' may sign only as itself");
    }

    @Test
    void theTrustBundleIsServedOnEverySocket() throws Exception {
        start("filter", "sensor");

        Answer answer = exchange(socket("sensor"), "GET /trust-bundle?api-version=2019-01-30 HTTP/1.1\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("certificate").asText()).isEqualTo(WorkloadFakes.PEM);
    }

    @Test
    void theFolderAndEverySocketAreOwnerOnly() throws Exception {
        start("filter");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket("filter"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aStaleSocketLeftByACrashIsReplaced() throws Exception {
        Path stale = tmp.resolve("workload").resolve("filter.sock");
        Files.createDirectories(stale.getParent());
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(stale)); // closing leaves the file, as a crash does
        }

        start("filter");

        assertThat(exchange(stale, signRequest("filter", filter.generationId(), "close", "AAEC")).status())
                .isEqualTo(200);
    }

    @Test
    void aDeletedIdentitysSocketDisappearsAndItsConnectionsEnd() throws Exception {
        start("filter", "sensor");
        try (WorkloadClient open = new WorkloadClient(socket("sensor"))) {

            server.serve(() -> Set.of("filter")).get(5, TimeUnit.SECONDS);

            assertThat(socket("sensor")).doesNotExist();
            assertThat(socket("filter")).exists();
            assertThat(assertTimeoutPreemptively(AT_MOST, open::closedByServer)).isTrue();
            assertThatThrownBy(() -> new WorkloadClient(socket("sensor")).close()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aKeptConnectionServesOneRequestAfterAnother() throws Exception {
        start("filter");
        try (WorkloadClient client = new WorkloadClient(socket("filter"))) {
            assertTimeoutPreemptively(AT_MOST, () -> {
                client.write(signRequest("filter", filter.generationId(), "keep-alive", "AAEC"));
                Answer first = client.readAnswer();
                client.write(signRequest("filter", filter.generationId(), "close", "AAED"));
                Answer second = client.readAnswer();

                assertThat(first.headers()).containsEntry("connection", "keep-alive");
                assertThat(second.headers()).containsEntry("connection", "close");
                assertThat(List.of(first.status(), second.status())).containsExactly(200, 200);
                assertThat(client.closedByServer()).isTrue();
            });
        }
    }

    @Test
    void aChunkedRequestIsServed() throws Exception {
        start("filter");
        String body = "{\"data\":\"AAEC\"}";

        Answer answer = exchange(socket("filter"), "POST /modules/filter/genid/" + filter.generationId()
                + "/sign?api-version=2018-06-28 HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + Integer.toHexString(5) + "\r\n" + body.substring(0, 5) + "\r\n"
                + Integer.toHexString(body.length() - 5) + "\r\n" + body.substring(5) + "\r\n0\r\n\r\n");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(JSON.readTree(answer.body()).get("digest").asText()).isEqualTo(WorkloadFakes.hmac(
                filter.primaryKey(), new byte[] {0, 1, 2}));
    }

    @Test
    void aBodyOver64KilobytesIsRefusedAndTheConnectionClosed() throws Exception {
        start("filter");

        Answer answer = exchange(socket("filter"), "POST /modules/filter/genid/g/sign?api-version=2018-06-28"
                + " HTTP/1.1\r\nContent-Length: 65537\r\n\r\n");

        assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 413 PayloadTooLarge");
        assertThat(answer.headers()).containsEntry("connection", "close");
    }

    @Test
    void aMalformedRequestGetsABadRequestWithTheReason() throws Exception {
        start("filter");

        Answer answer = exchange(socket("filter"), signRequest("filter", filter.generationId(), "close",
                "not base64!"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("message").asText()).startsWith("data is not Base64");
    }

    @Test
    void aSlowClientHoldsUpNoOtherModuleAndIsTimedOut() throws Exception {
        start("filter", "sensor");
        try (WorkloadClient slow = new WorkloadClient(socket("filter"))) {
            slow.write("POST /modules/filter/genid/x/sign?api-version=2018-06-28 HTTP/1.1\r\nContent-Length: 10\r\n");

            Answer other = exchange(socket("sensor"), signRequest("sensor", sensor.generationId(), "close", "AAEC"));

            assertThat(other.status()).isEqualTo(200);
            Answer timedOut = WorkloadClient.parse(assertTimeoutPreemptively(AT_MOST, slow::readToEnd));
            assertThat(timedOut.statusLine()).isEqualTo("HTTP/1.1 408 RequestTimeout");
        }
    }

    @Test
    void anIdleKeptConnectionIsClosedAfterTheTimeout() throws Exception {
        start("filter");
        try (WorkloadClient idle = new WorkloadClient(socket("filter"))) {
            idle.write("GET /trust-bundle?api-version=2018-06-28 HTTP/1.1\r\n\r\n");
            assertThat(assertTimeoutPreemptively(AT_MOST, idle::readAnswer).status()).isEqualTo(200);

            assertThat(assertTimeoutPreemptively(AT_MOST, idle::closedByServer)).isTrue();
        }
    }

    @Test
    void aModuleHoldingTooManyConnectionsIsTurnedAway() throws Exception {
        start(Duration.ofSeconds(30), "filter");
        List<WorkloadClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < WorkloadServer.MAX_CONNECTIONS_PER_MODULE; i++) {
                held.add(new WorkloadClient(socket("filter")));
            }
            // The server accepts asynchronously: wait until it holds them all, then one more is turned away at once.
            await().atMost(AT_MOST).until(() -> {
                try (WorkloadClient more = new WorkloadClient(socket("filter"))) {
                    return assertTimeoutPreemptively(AT_MOST, more::readToEnd).startsWith(
                            "HTTP/1.1 503 ServiceUnavailable");
                }
            });
        } finally {
            for (WorkloadClient c : held) {
                c.close();
            }
        }
        await().atMost(AT_MOST).until(() -> exchange(socket("filter"),
                "GET /trust-bundle?api-version=2018-06-28 HTTP/1.1\r\nConnection: close\r\n\r\n").status() == 200);
    }

    @Test
    void aFolderThatIsAFileIsReportedAndNoSocketOpened() throws Exception {
        Path file = tmp.resolve("file");
        Files.writeString(file, "not a folder");
        server = new WorkloadServer(new WorkloadSockets(file), new WorkloadRequests(identities,
                new WorkloadFakes.Certificates(), new WorkloadRefusals(Duration.ofMinutes(1))), TIMEOUT);

        assertThatThrownBy(() -> server.serve(() -> Set.of("filter")).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining(file + " is not a folder");
    }

    @Test
    void closingTheServerDeletesEverySocket() throws Exception {
        start("filter", "sensor");

        server.close();

        assertThat(socket("filter")).doesNotExist();
        assertThat(socket("sensor")).doesNotExist();
    }
}
