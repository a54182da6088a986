package dev.parley.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTextTest {

    private static final String HOSTILE = "a\u001B[2J\u001B]0;pwned\u0007b\u0000c\rd\ne\tf\u007F\u009B31m\u202Eevil\u2066\u2028g\\u001B";

    @Test
    void controlCharactersBecomeVisibleEscapes() {
        String printed = TerminalText.escape(HOSTILE);

        assertThat(printed).isEqualTo("a\\u001B[2J\\u001B]0;pwned\\u0007b\\u0000c\\rd\\ne\\tf\\u007F\\u009B31m\\u202Eevil\\u2066\\u2028g\\\\u001B");
        assertThat(printed.chars().filter(ch -> ch < 0x20 || (ch >= 0x7F && ch <= 0x9F))).isEmpty();
    }

    @Test
    void ordinaryTextIsPrintedAsItIs() {
        String text = "héllo wörld, 日本語, emoji 👍🏽 and 👨‍👩‍👧 (a ZWJ sequence), quotes \" ' `";
        assertThat(TerminalText.escape(text)).isSameAs(text);
        assertThat(TerminalText.escapeJson(text)).isSameAs(text);
    }

    @Test
    void escapedJsonDecodesToTheSameValue() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String raw = json.writeValueAsString(Map.of("text", HOSTILE));

        String printed = TerminalText.escapeJson(raw);

        assertThat(printed.chars().filter(ch -> ch < 0x20 || (ch >= 0x7F && ch <= 0x9F) || ch == 0x202E || ch == 0x2066
                || ch == 0x2028)).isEmpty();
        assertThat(json.readTree(printed).path("text").asText()).isEqualTo(HOSTILE);
    }
}
