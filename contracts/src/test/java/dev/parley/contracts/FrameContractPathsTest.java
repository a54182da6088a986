package dev.parley.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** The paths FrameContract reads off a (small) AsyncAPI document and off received frames: what the contract test compares. */
class FrameContractPathsTest {

    private static final String DOC = """
            x-parley-contract:
              unobserved:
                error.code=boom: never in a test
            operations:
              serverSends:
                messages:
                  - $ref: '#/components/messages/welcome'
                  - $ref: '#/components/messages/event'
                  - $ref: '#/components/messages/error'
            components:
              messages:
                welcome:
                  payload:
                    type: object
                    properties:
                      type: { const: welcome }
                      user: { type: string }
                      channels: { type: array, items: { $ref: '#/components/schemas/Channel' } }
                      limits: { type: object, properties: { maxTextChars: { type: integer } } }
                event:
                  payload: { $ref: '#/components/schemas/Event' }
                error:
                  payload:
                    type: object
                    properties:
                      type: { const: error }
                      code: { $ref: '#/components/schemas/ErrorCode' }
              schemas:
                ErrorCode: { type: string, enum: [invalid, boom] }
                Channel: { type: object, properties: { channel: { type: string }, head: { type: integer } } }
                EventBase: { type: object, properties: { type: { const: event }, channel: { type: string }, seq: { type: integer } } }
                Event: { oneOf: [ { $ref: '#/components/schemas/MessageEvent' } ] }
                MessageEvent:
                  allOf:
                    - { $ref: '#/components/schemas/EventBase' }
                    - { type: object, properties: { kind: { const: message }, text: { type: string } } }
            """;

    private final FrameContract contract;

    FrameContractPathsTest() throws Exception {
        contract = new FrameContract(new YAMLMapper().readTree(DOC));
    }

    @Test
    void theDocumentIsReadAsFramesFieldsNamedSchemasEventKindsAndErrorCodes() {
        assertThat(contract.documented()).containsExactlyInAnyOrder("welcome", "welcome.user", "welcome.channels",
                "Channel.channel", "Channel.head", "welcome.limits", "welcome.limits.maxTextChars",
                "event", "event[message]", "event.channel", "event.seq", "event[message].text",
                "error", "error.code", "error.code=invalid", "error.code=boom");
        assertThat(contract.excused()).containsExactly(java.util.Map.entry("error.code=boom", "never in a test"));
    }

    @Test
    void aFrameIsReadTheSameWaySoThatAnythingNewStandsOut() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(contract.observe(json.readTree("""
                {"type":"welcome","user":"a","channels":[{"channel":"c","head":3,"muted":true}],"limits":{"maxTextChars":9}}
                """))).containsExactlyInAnyOrder("welcome", "welcome.user", "welcome.channels", "Channel.channel", "Channel.head",
                "Channel.muted", "welcome.limits", "welcome.limits.maxTextChars");
        assertThat(contract.observe(json.readTree("""
                {"type":"event","channel":"c","seq":4,"kind":"poll","question":"?"}
                """))).containsExactlyInAnyOrder("event", "event[poll]", "event.channel", "event.seq", "event[poll].question");
        assertThat(contract.observe(json.readTree("""
                {"type":"error","code":"teapot","message":"short and stout"}
                """))).containsExactlyInAnyOrder("error", "error.code", "error.code=teapot", "error.message");
    }
}
