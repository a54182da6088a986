package dev.parley.ops.bench;

/**
 * Reads a few fields out of the gateway's JSON frames without a parser: the load generator receives tens of
 * thousands of frames a second on the same two cores as the system it measures, so it does as little as it
 * can per frame. The frames are Jackson's compact output; the fields read here precede any free text.
 */
public final class FrameFields {

    private FrameFields() {
    }

    /** Keys of the fields read on every frame, built once. */
    static final String CHANNEL = strKey("channel");
    static final String CLIENT_MSG_ID = strKey("clientMsgId");
    static final String USER = strKey("user");
    static final String SEQ = numKey("seq");
    static final String TS = numKey("ts");

    /** {@code "field":"}, the key of a string field for {@link #strAt}. */
    static String strKey(String field) {
        return "\"" + field + "\":\"";
    }

    /** {@code "field":}, the key of a number field for {@link #numAt}. */
    static String numKey(String field) {
        return "\"" + field + "\":";
    }

    /** The value of a string field, or null. */
    public static String str(String frame, String field) {
        return strAt(frame, strKey(field));
    }

    /** The value of the string field whose {@link #strKey} is {@code key}, or null. */
    static String strAt(String frame, String key) {
        int i = frame.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        int end = frame.indexOf('"', start);
        return end < 0 ? null : frame.substring(start, end);
    }

    /** The value of an integer field, or {@code missing}. */
    public static long num(String frame, String field, long missing) {
        return numAt(frame, numKey(field), missing);
    }

    /** The value of the integer field whose {@link #numKey} is {@code key}, or {@code missing}. */
    static long numAt(String frame, String key, long missing) {
        int i = frame.indexOf(key);
        if (i < 0) {
            return missing;
        }
        int p = i + key.length();
        boolean negative = p < frame.length() && frame.charAt(p) == '-';
        if (negative) {
            p++;
        }
        long v = 0;
        int digits = 0;
        while (p < frame.length()) {
            char c = frame.charAt(p);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            p++;
            digits++;
        }
        if (digits == 0) {
            return missing;
        }
        return negative ? -v : v;
    }

    /** The frame's {@code type} (the first field of every server frame). */
    public static String type(String frame) {
        if (frame.startsWith("{\"type\":\"")) {
            int end = frame.indexOf('"', 9);
            return end < 0 ? "" : frame.substring(9, end);
        }
        String t = str(frame, "type");
        return t == null ? "" : t;
    }
}
