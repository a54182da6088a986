package dev.parley.notifier.delivery;

import dev.parley.avro.notify.Notification;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers notifications to one webhook endpoint: signed POSTs ({@link WebhookSigner}), retried with
 * exponential backoff and jitter ({@link RetryPolicy}) behind the endpoint's own circuit breaker
 * (resilience4j). While the circuit is open an attempt is not sent: it counts against the retry budget and
 * waits for the next backoff, so a dead receiver is not hammered and the budget stays bounded in time.
 * Every attempt of one notification carries the same {@code webhook-id} (the idempotency key) and a fresh
 * signed timestamp.
 */
public final class EndpointDelivery {

    private final WebhookEndpoint endpoint;
    private final HttpClient http;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService scheduler;
    private final DeliveryListener listener;
    private final Clock clock;

    public EndpointDelivery(WebhookEndpoint endpoint, HttpClient http, Duration timeout, RetryPolicy retry,
                            CircuitBreakerConfig breakerConfig, ScheduledExecutorService scheduler,
                            DeliveryListener listener, Clock clock) {
        this.endpoint = endpoint;
        this.http = http;
        this.timeout = timeout;
        this.retry = retry;
        this.breaker = CircuitBreaker.of("webhook-" + endpoint.name(), breakerConfig);
        this.scheduler = scheduler;
        this.listener = listener;
        this.clock = clock;
    }

    /** The breaker of a typical endpoint: opens at 50 % failures over the last 20 calls (10 at least), probes after 10 s. */
    public static CircuitBreakerConfig defaultBreaker(Duration callTimeout) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(callTimeout)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(3)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build();
    }

    public WebhookEndpoint endpoint() {
        return endpoint;
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    /** Delivers {@code n} (rendered as {@code body}); completes once delivered or given up (never exceptionally). */
    public CompletableFuture<Outcome> deliver(Notification n, byte[] body) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        attempt(n, body, 1, clock.millis(), done);
        return done;
    }

    private void attempt(Notification n, byte[] body, int attempt, long firstAt, CompletableFuture<Outcome> done) {
        if (!breaker.tryAcquirePermission()) {
            next(n, body, attempt, firstAt, AttemptResult.failed("circuit open"), done);
            return;
        }
        long started = System.nanoTime();
        long ts = clock.millis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(endpoint.url())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Parley-Notifier/1")
                .header(WebhookSigner.ID, n.getNotificationId())
                .header(WebhookSigner.TIMESTAMP, Long.toString(ts))
                .header(WebhookSigner.SIGNATURE, WebhookSigner.sign(endpoint.secret(), n.getNotificationId(), ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<Void>> call;
        try {
            call = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((response, error) -> {
            long nanos = System.nanoTime() - started;
            AttemptResult result;
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
                result = AttemptResult.failed(cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            } else {
                result = AttemptResult.ofStatus(response.statusCode());
                if (result.verdict() == AttemptResult.Verdict.RETRY) {
                    breaker.onError(nanos, TimeUnit.NANOSECONDS, new IllegalStateException(result.error()));
                } else {
                    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS); // the receiver is up, even if it refused this one
                }
            }
            next(n, body, attempt, firstAt, result, done);
        });
    }

    private void next(Notification n, byte[] body, int attempt, long firstAt, AttemptResult result,
                      CompletableFuture<Outcome> done) {
        listener.attempted(endpoint.name(), result);
        switch (result.verdict()) {
            case DELIVERED -> {
                listener.delivered(endpoint.name(), n, clock.millis());
                done.complete(new Outcome(endpoint.name(), true, attempt, result, firstAt, null));
            }
            case REFUSED -> giveUp(n, attempt, firstAt, result, "refused by the receiver: " + result.error(), done);
            case RETRY -> {
                if (retry.exhausted(attempt)) {
                    giveUp(n, attempt, firstAt, result, "retry budget exhausted after " + attempt + " attempts: "
                            + result.error(), done);
                } else {
                    listener.retried(endpoint.name());
                    Duration wait = retry.backoffAfter(attempt);
                    try {
                        scheduler.schedule(() -> attempt(n, body, attempt + 1, firstAt, done), wait.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                        done.cancel(false); // the worker is closing: the notification is redelivered after a restart
                    }
                }
            }
        }
    }

    private void giveUp(Notification n, int attempt, long firstAt, AttemptResult last, String reason,
                        CompletableFuture<Outcome> done) {
        listener.deadLettered(endpoint.name(), n, reason);
        done.complete(new Outcome(endpoint.name(), false, attempt, last, firstAt, reason));
    }
}
