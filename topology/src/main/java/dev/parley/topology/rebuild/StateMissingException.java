package dev.parley.topology.rebuild;

/** The topology's state is missing while the log holds events: it must be rebuilt from the log ({@link StateRebuild}). */
public final class StateMissingException extends IllegalStateException {

    public StateMissingException(String message) {
        super(message);
    }
}
