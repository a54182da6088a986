package dev.parley.ops.runner;

import dev.parley.notifier.NotifierConfig;
import dev.parley.notifier.NotifierService;
import dev.parley.schemas.config.Env;
import java.util.List;
import java.util.Map;

/**
 * The notifier (its own Streams application, {@code parley-notifier}, and the webhook delivery worker). Without
 * {@code PARLEY_NOTIFIER_WEBHOOKS} in the environment it decides and writes notifications but delivers none:
 * {@code parley notifications tail} shows them.
 */
public final class NotifierComponent implements LocalComponent {

    static final int DEFAULT_PORT = 8090;

    private NotifierService service;

    @Override
    public String name() {
        return "notifier";
    }

    @Override
    public void start(LocalContext context) throws InterruptedException {
        RunnerSettings s = context.settings();
        Map<String, String> env = context.commonEnv();
        env.put("PARLEY_NOTIFIER_STATE_DIR", context.dataDir("notifier").toString());
        env.put("PARLEY_NOTIFIER_BIND", s.bindHost());
        // An ephemeral stack (tests, --topology-port 0) gets an ephemeral notifier port too.
        env.put("PARLEY_NOTIFIER_PORT", String.valueOf(s.topologyPort() == 0 ? 0 : DEFAULT_PORT));
        TopologyComponent.passThrough().forEach(env::put); // the user's PARLEY_NOTIFIER_* win
        service = NotifierService.start(NotifierConfig.fromEnv(Env.of(env)));
        long deadline = System.nanoTime() + s.startTimeout().toNanos();
        while (!service.isRunning()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the notifier did not reach RUNNING within " + s.startTimeout().toSeconds()
                        + " s (state " + service.streams().state() + ")");
            }
            Thread.sleep(50);
        }
    }

    public NotifierService service() {
        return service;
    }

    @Override
    public List<SummaryLine> summary() {
        NotifierConfig c = service.config();
        String sinks = c.webhooks().isEmpty() ? "no webhooks (set PARLEY_NOTIFIER_WEBHOOKS); see ./parley notifications tail"
                : c.webhooks().size() + " webhook(s)";
        return List.of(new SummaryLine("Notifier", "delay " + c.digest().delay().toSeconds() + " s, " + sinks
                + "; metrics at " + service.url() + "/metrics"));
    }

    @Override
    public void close() {
        service.close();
    }
}
