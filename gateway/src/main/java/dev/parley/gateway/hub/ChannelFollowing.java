package dev.parley.gateway.hub;

/**
 * Told by the hub when a channel gains its first local follower (a stream of a connection on this gateway, in push or
 * pull mode) and when it loses its last one: subscribes, unsubscribes, closed connections, and the joins and leaves of
 * local users as the hub applies them. Called under the channel's lock, in the order the changes happened: an
 * implementation only records or queues the change.
 */
public interface ChannelFollowing {

    void first(String channel);

    void last(String channel);

    /** For a gateway that reads the whole log: nobody needs to know. */
    ChannelFollowing NONE = new ChannelFollowing() {
        @Override
        public void first(String channel) {
        }

        @Override
        public void last(String channel) {
        }
    };
}
