package dev.parley.gateway.presence;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * "Which of these users share a channel with U?", the question presence privacy asks of the topology. An
 * implementation may throw {@code QueryUnavailableException} when the topology cannot answer in time.
 */
public interface SharedChannels {

    /**
     * @return for each candidate (other than {@code user}) that shares at least one channel with {@code user}: the
     *         channels they share (at least one; an implementation may list only some)
     */
    Map<String, Set<String>> of(String user, Collection<String> candidates);

    /** The gateway saw a membership change of this user in the log (for implementations that cache). */
    default void membershipChanged(String user) {
    }
}
