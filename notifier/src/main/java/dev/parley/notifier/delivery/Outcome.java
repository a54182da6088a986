package dev.parley.notifier.delivery;

/**
 * How the delivery of one notification to one endpoint ended.
 *
 * @param endpoint       the endpoint's name
 * @param delivered      true when the endpoint accepted it (2xx)
 * @param attempts       attempts made (calls plus those the open circuit refused)
 * @param last           the last attempt's result
 * @param firstAttemptAt epoch millis of the first attempt
 * @param reason         why it is dead-lettered (null when delivered)
 */
public record Outcome(String endpoint, boolean delivered, int attempts, AttemptResult last, long firstAttemptAt,
                      String reason) {
}
