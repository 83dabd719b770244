/*
 * Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
 */
package org.outpost.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.outpost.identity.internal.WorkloadHttp.Refused;
import org.outpost.identity.internal.WorkloadHttp.Request;
import org.outpost.identity.internal.WorkloadHttp.Response;

class WorkloadHttpTest {

    /** What the Azure IoT Java SDK 2.5.0 writes for a sign request (HttpsRequestResponseSerializer). */
    private static final String JAVA_SDK_SIGN = "POST /modules/filter/genid/g1/sign?api-version=2018-06-28 HTTP/1.1\r\n"
            + "Host: /var/run/iotedge/workload.sock\r\n"
            + "Accept: application/json\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + "Content-Length: 53\r\n\r\n"
            + "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"aGk=\"}";

    private static Request read(String... parts) throws Refused {
        WorkloadHttp.Reader reader = new WorkloadHttp.Reader();
        Request request = null;
        for (String part : parts) {
            assertThat(request).as("a request before all its bytes").isNull();
            reader.feed(ByteBuffer.wrap(part.getBytes(StandardCharsets.ISO_8859_1)));
            request = reader.next();
        }
        return request;
    }

    @Test
    void theJavaSdksSignRequestIsReadWithItsPathQueryAndBody() throws Refused {
        Request request = read(JAVA_SDK_SIGN);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).containsExactly("modules", "filter", "genid", "g1", "sign");
        assertThat(request.query()).containsExactlyEntriesOf(Map.of("api-version", "2018-06-28"));
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"keyId\":\"primary\",\"algo\":\"HMACSHA256\",\"data\":\"aGk=\"}");
        assertThat(request.keepAlive()).as("Connection: close").isFalse();
    }

    @Test
    void aRequestSplitAnywhereIsReadOnceWhole() throws Refused {
        for (int cut = 1; cut < JAVA_SDK_SIGN.length(); cut++) {
            Request request = read(JAVA_SDK_SIGN.substring(0, cut), JAVA_SDK_SIGN.substring(cut));

            assertThat(request).as("cut at %d", cut).isNotNull();
            assertThat(request.body()).hasSize(53);
        }
    }

    @Test
    void aChunkedBodyIsJoinedAndItsTrailersSkipped() throws Refused {
        Request request = read("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
                "5;ext=1\r\n{\"a\":\r\n", "3\r\n12}\r\n0\r\nX-Trailer: t\r\n\r\n");

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":12}");
    }

    @Test
    void pipelinedRequestsAreReadOneAfterTheOther() throws Refused {
        WorkloadHttp.Reader reader = new WorkloadHttp.Reader();
        reader.feed(ByteBuffer.wrap(("GET /trust-bundle?api-version=2019-01-30 HTTP/1.1\r\n\r\n"
                + "\r\nGET /second HTTP/1.1\r\nContent-Length: 2\r\n\r\nab").getBytes(StandardCharsets.US_ASCII)));

        assertThat(reader.next().path()).containsExactly("trust-bundle");
        Request second = reader.next();
        assertThat(second.path()).containsExactly("second");
        assertThat(second.body()).containsExactly('a', 'b');
        assertThat(reader.next()).isNull();
        assertThat(reader.hasPartial()).isFalse();
    }

    @Test
    void http11KeepsTheConnectionAndHttp10ClosesItUnlessAsked() throws Refused {
        assertThat(read("GET / HTTP/1.1\r\n\r\n").keepAlive()).isTrue();
        assertThat(read("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
        assertThat(read("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isTrue();
    }

    @Test
    void pathSegmentsArePercentDecodedAndAPlusStaysAPlus() throws Refused {
        assertThat(read("POST /modules/my%24mod+1/genid/a%2Bb/sign HTTP/1.1\r\n\r\n").path())
                .isEqualTo(List.of("modules", "my$mod+1", "genid", "a+b", "sign"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "GARBAGE\\r\\n\\r\\n                                               | 400 | malformed request line 'GARBAGE'",
        "GET / HTTP/1.1\\r\\nNoColon\\r\\n\\r\\n                           | 400 | malformed header line 1 'NoColon'",
        "POST / HTTP/1.1\\r\\nContent-Length: ten\\r\\n\\r\\n              | 400 | Content-Length 'ten' is not a number",
        "POST / HTTP/1.1\\r\\nContent-Length: 70000\\r\\n\\r\\n            | 413 | the body of 70000 bytes is larger than the 65536 allowed",
        "POST / HTTP/1.1\\r\\nContent-Length: 1\\r\\nContent-Length: 2\\r\\n\\r\\n | 400 | two different Content-Length headers",
        "POST / HTTP/1.1\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n           | 501 | Transfer-Encoding 'gzip' is not supported",
        "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\nContent-Length: 3\\r\\n\\r\\n | 400 | both Transfer-Encoding and Content-Length",
        "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n | 400 | malformed chunk size 'zz'",
        "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nabc | 400 | a chunk of 2 bytes is not followed by CRLF",
        "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n10001\\r\\n | 413 | the chunked body is larger than the 65536 bytes",
        "GET http://host/x HTTP/1.1\\r\\n\\r\\n                            | 400 | is not a path starting with /",
        "GET /%zz HTTP/1.1\\r\\n\\r\\n                                      | 400 | '%zz' is not percent-encoded correctly",
    })
    void aMalformedRequestIsRefusedWithWhatIsWrong(String raw, int status, String message) {
        assertThatThrownBy(() -> read(raw.replace("\\r\\n", "\r\n")))
                .isInstanceOfSatisfying(Refused.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(message);
    }

    @Test
    void headersLongerThanTheLimitAreRefusedBeforeTheyEnd() {
        String head = "GET / HTTP/1.1\r\nX-Long: " + "x".repeat(WorkloadHttp.MAX_HEAD_BYTES);

        assertThatThrownBy(() -> read(head)).isInstanceOfSatisfying(Refused.class,
                e -> assertThat(e.status()).isEqualTo(431));
    }

    @Test
    void anAnswerIsJsonWithItsLengthAndAOneWordReason() {
        String bytes = new String(new Response(404, "{\"message\":\"né\"}").bytes(false), StandardCharsets.UTF_8);

        assertThat(bytes).isEqualTo("HTTP/1.1 404 NotFound\r\nContent-Type: application/json\r\n"
                + "Content-Length: 17\r\nConnection: close\r\n\r\n{\"message\":\"né\"}");
        assertThat(bytes.lines().findFirst().orElseThrow().split(" ")).as("what the Java SDK requires").hasSize(3);
    }
}
