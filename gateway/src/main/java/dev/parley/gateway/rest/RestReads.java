package dev.parley.gateway.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.gateway.admission.Admission;
import dev.parley.gateway.admission.Refusal;
import dev.parley.gateway.auth.Principal;
import dev.parley.gateway.auth.TokenVerifier;
import dev.parley.gateway.client.ReadService;
import dev.parley.gateway.client.RequestParser;

/** REST reads: the same requests and answers as the WebSocket's {@code events}, {@code history}, {@code thread}, {@code channels}. */
final class RestReads {

    private final TokenVerifier tokens;
    private final ReadService reads;
    private final Admission admission;

    RestReads(TokenVerifier tokens, ReadService reads, Admission admission) {
        this.tokens = tokens;
        this.reads = reads;
        this.admission = admission;
    }

    /** {@code GET .../events?after=&limit=} or {@code ?before=}: raw events. */
    void events(RestCall call) throws Exception {
        ObjectNode frame = RestCall.frame("events");
        frame.put("channel", call.param("channel"));
        call.queryInto(frame, "after", "before", "limit");
        if (!frame.has("limit")) {
            frame.put("limit", 100);
        }
        read(call, frame);
    }

    /** {@code GET .../messages?before=&limit=}: history in its current state. */
    void messages(RestCall call) throws Exception {
        ObjectNode frame = RestCall.frame("history");
        frame.put("channel", call.param("channel"));
        call.queryInto(frame, "before", "limit");
        read(call, frame);
    }

    /** {@code GET .../threads/{root}?after=&limit=}: a thread in its current state. */
    void thread(RestCall call) throws Exception {
        ObjectNode frame = RestCall.frame("thread");
        frame.put("channel", call.param("channel"));
        RestCall.putNumberOrText(frame, "root", call.param("root"));
        call.queryInto(frame, "after", "limit");
        read(call, frame);
    }

    /** {@code GET /api/v1/channels?after=&limit=}: my channels. */
    void channels(RestCall call) throws Exception {
        ObjectNode frame = RestCall.frame("channels");
        call.queryInto(frame, "limit");
        String after = call.query("after");
        if (after != null) {
            frame.put("after", after);
        }
        read(call, frame);
    }

    private void read(RestCall call, ObjectNode frame) throws Exception {
        Principal who = call.principal(tokens);
        Refusal limited = admission.admitOther(null, who.user());
        if (limited != null) {
            call.error(limited.code(), limited.message(), limited.retryAfterMs());
            return;
        }
        ReadService.Result result = reads.read(who.user(), RequestParser.parse(frame, who.user()));
        if (result instanceof ReadService.Refused r) {
            call.error(r.refusal().code(), r.refusal().message());
        } else {
            call.json(200, ((ReadService.Page) result).body().toString());
        }
    }
}
