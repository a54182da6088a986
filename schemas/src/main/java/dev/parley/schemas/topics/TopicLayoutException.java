package dev.parley.schemas.topics;

/** The cluster's topics do not have the layout Parley needs (e.g. commands and log partition counts differ). */
public class TopicLayoutException extends RuntimeException {
    public TopicLayoutException(String message) {
        super(message);
    }
}
