package dev.parley.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The frames of the ephemeral path (presence_watch, set_status, typing, hello's presence) through the one validation layer. */
class EphemeralRequestsTest {

    private static JsonNode json(String s) throws Invalid {
        return new FrameReader(1 << 20).read(s);
    }

    private static ClientRequest parse(String s) throws Invalid {
        return RequestParser.parse(json(s), "alice");
    }

    @Test
    void presenceWatchListsDistinctUsersInOrder() throws Invalid {
        ClientRequest r = parse("{\"type\":\"presence_watch\",\"requestId\":\"w1\",\"users\":[\"bob\",\"carol\",\"bob\"]}");
        assertThat(r).isEqualTo(new ClientRequest.WatchPresence("w1", java.util.List.of("bob", "carol")));
        assertThat(parse("{\"type\":\"presence_watch\",\"users\":[]}")).isEqualTo(new ClientRequest.WatchPresence(null, java.util.List.of()));
    }

    @Test
    void presenceWatchRefusesWhatIsNotAListOfUserIds() {
        assertThatThrownBy(() -> parse("{\"type\":\"presence_watch\",\"requestId\":\"w1\",\"users\":\"bob\"}"))
                .isInstanceOfSatisfying(Invalid.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid");
                    assertThat(e.id()).isEqualTo("w1");
                    assertThat(e.getMessage()).contains("\"users\"");
                });
        assertThatThrownBy(() -> parse("{\"type\":\"presence_watch\",\"users\":[\"\"]}")).isInstanceOf(Invalid.class)
                .hasMessageContaining("user ids");
        assertThatThrownBy(() -> parse("{\"type\":\"presence_watch\",\"users\":[\"a\\u0001b\"]}")).isInstanceOf(Invalid.class);
        assertThatThrownBy(() -> parse("{\"type\":\"presence_watch\",\"users\":[7]}")).isInstanceOf(Invalid.class);
    }

    @Test
    void setStatusIsOnlineOrAway() throws Invalid {
        assertThat(parse("{\"type\":\"set_status\",\"status\":\"away\"}")).isEqualTo(new ClientRequest.SetStatus(true));
        assertThat(parse("{\"type\":\"set_status\",\"status\":\"online\"}")).isEqualTo(new ClientRequest.SetStatus(false));
        assertThatThrownBy(() -> parse("{\"type\":\"set_status\",\"status\":\"offline\"}")).isInstanceOf(Invalid.class)
                .hasMessageContaining("\"status\"");
    }

    @Test
    void typingNeedsAValidChannel() throws Invalid {
        assertThat(parse("{\"type\":\"typing\",\"channel\":\"general\"}")).isEqualTo(new ClientRequest.Typing("general"));
        assertThatThrownBy(() -> parse("{\"type\":\"typing\"}")).isInstanceOf(Invalid.class).hasMessageContaining("channel");
        assertThatThrownBy(() -> parse("{\"type\":\"typing\",\"channel\":\"no spaces\"}"))
                .isInstanceOfSatisfying(Invalid.class, e -> assertThat(e.idField()).isEqualTo("channel"));
    }

    @Test
    void helloMayNameTheUsersToWatch() throws Invalid {
        assertThat(HelloRequest.parse(json("{\"type\":\"hello\",\"token\":\"t\",\"device\":\"d\"}"), 1000).presence()).isNull();
        assertThat(HelloRequest.parse(json("{\"type\":\"hello\",\"token\":\"t\",\"device\":\"d\",\"presence\":[\"bob\"]}"), 1000).presence())
                .containsExactly("bob");
        assertThatThrownBy(() -> HelloRequest.parse(json("{\"type\":\"hello\",\"token\":\"t\",\"device\":\"d\",\"presence\":{}}"), 1000))
                .isInstanceOf(Invalid.class).hasMessageContaining("presence");
    }
}
