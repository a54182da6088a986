package dev.parley.api;

import java.util.regex.Pattern;

/** Validation limits shared by the topology and the gateway. */
public final class Limits {

    /** Maximum message length in characters (Unicode code points), as Slack. */
    public static final int MAX_TEXT_CHARS = 40_000;
    public static final int MAX_ID_CHARS = 128;
    /** Channel ids: letters, digits, '.', '_' and '-', 1 to 80 characters, starting with a letter or digit. */
    public static final Pattern CHANNEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    private Limits() {
    }

    public static boolean isValidChannelId(String channel) {
        return channel != null && CHANNEL_ID.matcher(channel).matches();
    }

    /** Reactions: 1 to 64 characters with no whitespace or control characters (':thumbsup:' or a Unicode emoji). */
    public static boolean isValidEmoji(String emoji) {
        if (emoji == null || emoji.isEmpty() || emoji.length() > 64) {
            return false;
        }
        for (int i = 0; i < emoji.length(); i++) {
            char c = emoji.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /** User ids and idempotency keys: 1 to 128 characters, no control characters. */
    public static boolean isValidToken(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
