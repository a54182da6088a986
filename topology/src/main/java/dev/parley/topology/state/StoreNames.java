package dev.parley.topology.state;

/** Names of the topology's state stores (their changelog topics are {@code <application.id>-<name>-changelog}). */
public final class StoreNames {

    // Write side (sequencer): may hold writes of the open transaction; never queried.
    public static final String SEQ_CHANNELS = "seq-channels";
    public static final String SEQ_MEMBERS = "seq-members";
    public static final String SEQ_MESSAGES = "seq-messages";
    public static final String SEQ_DEDUPE = "seq-dedupe";
    public static final String SEQ_REACTIONS = "seq-reactions";

    // Read side (projections of the committed log): served by interactive queries.
    public static final String EVENTS = "log-events";
    public static final String CHANNEL_INFO = "channel-info";
    public static final String CHANNEL_MEMBERS = "channel-members";
    public static final String USER_CHANNELS = "user-channels";
    /** (channel, seq) -> seq of the delete that redacted it: such events are served without their text. */
    public static final String REDACTIONS = "log-redactions";
    /** (channel, message seq) -> current state of the message (history and threads). */
    public static final String MESSAGE_VIEWS = "message-views";
    /** (channel, root, reply) -> nothing: which replies a thread has. */
    public static final String THREAD_REPLIES = "thread-replies";

    private StoreNames() {
    }
}
