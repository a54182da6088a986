package dev.parley.ops.runner;

import dev.parley.gateway.GatewayConfig;
import dev.parley.gateway.GatewayServer;
import dev.parley.gateway.web.ChatPage;
import dev.parley.schemas.config.Env;
import java.util.List;
import java.util.Map;

/** One gateway in dev mode (dev tokens on), serving WebSocket, REST and the chat page. */
public final class GatewayComponent implements LocalComponent {

    private GatewayServer server;
    private String host;

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void start(LocalContext context) {
        RunnerSettings s = context.settings();
        Map<String, String> env = context.commonEnv();
        env.put("PARLEY_GATEWAY_BIND", s.bindHost());
        env.put("PARLEY_GATEWAY_PORT", String.valueOf(s.gatewayPort()));
        env.put("PARLEY_TOPOLOGY_URLS", context.topologyUrl().orElseThrow());
        env.put("PARLEY_DEV_MODE", "true");
        env.put("PARLEY_GATEWAY_ID", "gw-local");
        TopologyComponent.passThrough().forEach(env::putIfAbsent);
        server = GatewayServer.start(GatewayConfig.fromEnv(Env.of(env)), ChatPage.fromClasspath());
        host = RegistryComponent.host(s);
    }

    public GatewayServer server() {
        return server;
    }

    @Override
    public List<SummaryLine> summary() {
        String http = "http://" + host + ":" + server.port();
        return List.of(
                new SummaryLine("Chat in the browser", http + "/"),
                new SummaryLine("WebSocket", "ws://" + host + ":" + server.port() + "/ws"),
                new SummaryLine("Dev token", "curl -s -X POST " + http + "/api/dev/token -d '{\"user\":\"alice\"}'"),
                new SummaryLine("Metrics", http + "/metrics"));
    }

    @Override
    public void close() {
        server.close();
    }
}
