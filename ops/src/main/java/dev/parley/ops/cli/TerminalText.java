package dev.parley.ops.cli;

/**
 * Makes text from the log safe to print on an operator's terminal. Message texts, titles and ids come
 * from users: an ESC starts a terminal escape sequence (recolour, move the cursor, rewrite the title bar,
 * on some terminals worse), a CR or a NUL hides what was printed before, a bidi override reorders it.
 * Those characters are written as escapes instead; everything else is printed as it is.
 */
final class TerminalText {

    private TerminalText() {
    }

    /**
     * A plain line: {@code \n}, {@code \r}, {@code \t}, {@code \\} and <code>&#92;uXXXX</code> for the other control
     * characters (C0, DEL, C1), bidi controls and line/paragraph separators. A backslash is doubled, so the
     * escapes cannot be forged by the text.
     */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> isUnsafe(c) ? unicodeEscape(c) : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * A JSON document: the unsafe characters JSON allows raw inside strings (DEL, C1, bidi controls,
     * separators; JSON writers already escape C0) become <code>&#92;uXXXX</code>, which decodes to the same value.
     */
    static String escapeJson(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean unsafe = isUnsafe(c);
            if (unsafe && out == null) {
                out = new StringBuilder(json.length() + 16).append(json, 0, i);
            }
            if (out != null) {
                out.append(unsafe ? unicodeEscape(c) : String.valueOf(c));
            }
        }
        return out == null ? json : out.toString();
    }

    /** Control characters (C0, DEL, C1), bidi embedding/override/isolate marks, line and paragraph separators. */
    static boolean isUnsafe(char c) {
        return Character.getType(c) == Character.CONTROL
                || c == '\u061C' || c == '\u200E' || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u2028' || c == '\u2029';
    }

    private static String unicodeEscape(char c) {
        return String.format("\\u%04X", (int) c);
    }
}
