package dev.parley.gateway.client;

/** The {@code status} of a {@code set_status}: {@code away} or {@code online}. */
final class Status {

    private Status() {
    }

    /** @return true for away, false for online */
    static boolean away(Fields f) throws Invalid {
        String status = f.peek("status");
        if ("away".equals(status)) {
            return true;
        }
        if ("online".equals(status)) {
            return false;
        }
        throw f.invalid("\"status\" must be \"online\" or \"away\"");
    }
}
