package dev.parley.topology.sequencer;

/** A command failed in a way that is not a normal rejection; the record goes to the dead-letter topic. */
public class CommandProcessingException extends RuntimeException {
    public CommandProcessingException(String message) {
        super(message);
    }

    public CommandProcessingException(String message, Throwable cause) {
        super(message, cause);
    }
}
