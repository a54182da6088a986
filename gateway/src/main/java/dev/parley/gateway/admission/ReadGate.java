package dev.parley.gateway.admission;

/**
 * Inbound backpressure of one connection: how many of its frames are being worked on (queued, running, or a
 * command waiting for its result). Below the bound the next frame is read at once; at the bound reading stops
 * until one finishes, so a client that pipelines can never make the gateway queue. Before {@code hello} the
 * bound is one frame. Pure: the WebSocket edge turns "true" into Jetty's {@code demand()}.
 */
public final class ReadGate {

    private int bound = 1;
    private int inFlight;
    private boolean paused;

    /** After hello: up to {@code max} frames in flight. */
    public synchronized void open(int max) {
        bound = Math.max(1, max);
    }

    /** A frame was read. @return true to read the next one now; false: reading is paused until {@link #done}. */
    public synchronized boolean read() {
        inFlight++;
        if (inFlight < bound) {
            return true;
        }
        paused = true;
        return false;
    }

    /** A frame's work ended. @return true if reading was paused and must resume now (exactly once). */
    public synchronized boolean done() {
        inFlight--;
        if (paused && inFlight < bound) {
            paused = false;
            return true;
        }
        return false;
    }

    public synchronized int inFlight() {
        return inFlight;
    }
}
