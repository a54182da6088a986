package dev.parley.topology.sequencer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code @user} mentions in a message text: a user id after an '@' that does not follow a word character. */
public final class Mentions {

    private static final Pattern MENTION = Pattern.compile("(?<![\\w@])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})");

    private Mentions() {
    }

    /** Distinct mentioned users, in order of first appearance (a trailing '.' is not part of the id). */
    public static List<String> parse(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            String user = m.group(1);
            while (user.endsWith(".")) {
                user = user.substring(0, user.length() - 1);
            }
            if (!user.isEmpty()) {
                out.add(user);
            }
        }
        return new ArrayList<>(out);
    }
}
