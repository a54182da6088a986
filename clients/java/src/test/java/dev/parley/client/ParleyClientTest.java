package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's life cycle without a gateway (a port where nothing listens): what ParleyClientIT cannot reach. */
class ParleyClientTest {

    @Test
    void closeEndsAPendingStartAndClosingAgainIsHarmless() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ParleyClient c = new ParleyClient(ParleyClient.Config.of(URI.create("ws://127.0.0.1:" + closedPort + "/ws"), "d-1",
                reason -> "a-token"));
        CompletableFuture<JsonNode> started = c.start();
        c.close();
        assertThatThrownBy(() -> started.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(ParleyException.class, e -> assertThat(e.code()).isEqualTo("closed"));
        assertThatCode(c::close).doesNotThrowAnyException();
        assertThat(c.state()).isEqualTo(ParleyClient.State.CLOSED);
    }
}
