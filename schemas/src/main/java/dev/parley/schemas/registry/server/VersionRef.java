package dev.parley.schemas.registry.server;

import dev.parley.schemas.registry.RegistryException;

/**
 * A version as clients write it in a URL: a number from 1, or {@code latest} (also {@code -1}).
 *
 * @param number the version, or 0 for the latest
 */
record VersionRef(int number) {

    static final VersionRef LATEST = new VersionRef(0);

    boolean isLatest() {
        return number == 0;
    }

    /** @throws RegistryException 42202 when the text is neither a positive number nor latest/-1 */
    static VersionRef parse(String text) {
        if (text == null || "latest".equalsIgnoreCase(text.trim()) || "-1".equals(text.trim())) {
            return LATEST;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1) {
                return new VersionRef(n);
            }
        } catch (NumberFormatException e) {
            // fall through to the Confluent error
        }
        throw new RegistryException(422, RegistryException.INVALID_VERSION, "The specified version '" + text
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    @Override
    public String toString() {
        return isLatest() ? "latest" : String.valueOf(number);
    }
}
