package dev.parley.api;

import java.util.regex.Pattern;

/** Validation limits shared by the topology and the gateway. */
public final class Limits {

    /** Maximum message length in characters (Unicode code points), as Slack. */
    public static final int MAX_TEXT_CHARS = 40_000;
    public static final int MAX_ID_CHARS = 128;
    /** Channel titles, in characters (Unicode code points): a title is shown in every member's welcome. */
    public static final int MAX_TITLE_CHARS = 250;
    /** Channel ids: letters, digits, '.', '_' and '-', 1 to 80 characters, starting with a letter or digit. */
    public static final Pattern CHANNEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    private Limits() {
    }

    public static boolean isValidChannelId(String channel) {
        return channel != null && CHANNEL_ID.matcher(channel).matches();
    }

    /** Reactions: 1 to 64 characters with no whitespace or control characters (':thumbsup:' or a Unicode emoji). */
    public static boolean isValidEmoji(String emoji) {
        if (emoji == null || emoji.isEmpty() || emoji.length() > 64 || !isWellFormed(emoji)) {
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

    /** User ids and idempotency keys: 1 to 128 characters, no control characters, well-formed UTF-16. */
    public static boolean isValidToken(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_ID_CHARS || !isWellFormed(s)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every surrogate in {@code s} is part of a pair. A lone surrogate cannot be encoded as UTF-8: the
     * encoder replaces it with '?', so {@code "k\ud800"} and {@code "k?"} would become the same id on the wire.
     */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
