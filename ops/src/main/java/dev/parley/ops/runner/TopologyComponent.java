package dev.parley.ops.runner;

import dev.parley.schemas.config.Env;
import dev.parley.topology.TopologyConfig;
import dev.parley.topology.TopologyService;
import dev.parley.topology.rebuild.StateMissingException;
import dev.parley.topology.rebuild.StateRebuild;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.Map;

/** The Kafka Streams topology (channel and user sub-topologies), its state under the data dir, and its query RPC. */
public final class TopologyComponent implements LocalComponent {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyComponent.class);

    private TopologyService service;

    @Override
    public String name() {
        return "topology";
    }

    @Override
    public void start(LocalContext context) throws InterruptedException {
        RunnerSettings s = context.settings();
        Map<String, String> env = context.commonEnv();
        env.put("PARLEY_STATE_DIR", context.dataDir("streams").toString());
        env.put("PARLEY_TOPOLOGY_RPC_BIND", s.bindHost());
        env.put("PARLEY_TOPOLOGY_RPC_PORT", String.valueOf(s.topologyPort()));
        env.put("PARLEY_TOPOLOGY_ADVERTISED_HOST", RegistryComponent.host(s));
        env.putAll(passThrough());
        TopologyConfig config = TopologyConfig.fromEnv(Env.of(env));
        try {
            service = TopologyService.start(config);
        } catch (StateMissingException e) {
            // A data dir written by a version with other stores: this is the developer's own stack, rebuild it.
            LOG.warn("the topology's state is missing next to a log with events (a data dir of an older version): "
                    + "rebuilding it from the log first (parley rebuild-state)");
            StateRebuild.run(config);
            service = TopologyService.start(config);
        }
        long deadline = System.nanoTime() + s.startTimeout().toNanos();
        while (!service.isRunning()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the topology did not reach RUNNING within " + s.startTimeout().toSeconds()
                        + " s (state " + service.streams().state() + ")");
            }
            Thread.sleep(50);
        }
        context.publishTopologyUrl(service.rpcUrl().toString());
    }

    /** PARLEY_* settings of the user's environment apply too (e.g. PARLEY_COMMIT_INTERVAL). */
    static Map<String, String> passThrough() {
        Map<String, String> out = new java.util.HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("PARLEY_") && !k.equals("PARLEY_DATA_DIR")) {
                out.putIfAbsent(k, v);
            }
        });
        for (String owned : List.of("PARLEY_BOOTSTRAP_SERVERS", "PARLEY_SCHEMA_REGISTRY_URL", "PARLEY_TOPIC_PREFIX",
                "PARLEY_STATE_DIR", "PARLEY_TOPOLOGY_RPC_PORT", "PARLEY_TOPOLOGY_RPC_BIND", "PARLEY_GATEWAY_PORT",
                "PARLEY_GATEWAY_BIND", "PARLEY_TOPOLOGY_URLS", "PARLEY_TOPOLOGY_RPC_SECRET", "PARLEY_PARTITIONS", "PARLEY_REPLICATION_FACTOR",
                // the runner's own broker port: not a Kafka client property despite the PARLEY_KAFKA_ prefix
                "PARLEY_KAFKA_PORT")) {
            out.remove(owned);
        }
        return out;
    }

    /** The running topology (tests pause and resume its processing). */
    public TopologyService service() {
        return service;
    }

    @Override
    public List<SummaryLine> summary() {
        return List.of(new SummaryLine("Topology", "exactly-once, commit interval "
                + service.config().commitInterval().toMillis() + " ms; queries at " + service.rpcUrl()
                + ", metrics at " + service.rpcUrl() + "/metrics"));
    }

    @Override
    public void close() {
        service.close();
    }

}
